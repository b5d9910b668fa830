"""The Content-Security-Policy of every HTML and XHTML page netdocs writes (the HTML sites,
EPUBs and the edition's landing page): one policy, in a module light enough for the landing page."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
"""What every generated page may load: its own folder's images, styles and fonts; no scripts,
frames, plugins or forms at all."""
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}" />'
"""The policy as the meta tag every generated HTML and XHTML page carries."""
