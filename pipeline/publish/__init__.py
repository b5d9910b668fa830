"""Publishing an edition: check everything, build what changed, convert, record, swap in.

:func:`pipeline.publish.run.publish` is the whole edition; :func:`pipeline.publish.manifest.verify`
re-hashes a published edition.
"""
