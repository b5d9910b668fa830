"""A workbook of the sample network whose first worksheet's compressed bytes are scrambled."""

import zipfile
from pathlib import Path


def make(root: Path) -> None:
    from pipeline.network import export_network, load_network

    good = root / "good.xlsx"
    export_network(load_network(root / "kb" / "network"), good)
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(good.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    (root / "corrupt.xlsx").write_bytes(bytes(data))
    good.unlink()
