"""A workbook of the sample network whose xl/workbook.xml is stored with one byte flipped: a
valid zip, but the part fails its CRC as soon as openpyxl opens the workbook."""

import zipfile
from pathlib import Path

MEMBER = "xl/workbook.xml"


def make(root: Path) -> None:
    from pipeline.network import export_network, load_network

    good = root / "good.xlsx"
    bad = root / "badcrc.xlsx"
    export_network(load_network(root / "kb" / "network"), good)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            kind = zipfile.ZIP_STORED if info.filename == MEMBER else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, src.read(info), kind)
    with zipfile.ZipFile(bad) as archive:
        info = archive.getinfo(MEMBER)
    data = bytearray(bad.read_bytes())
    data[info.header_offset + 30 + len(MEMBER) + len(info.extra) + info.compress_size // 2] ^= 1
    bad.write_bytes(bytes(data))
    good.unlink()
