"""The sample network as a workbook, with act-007's budget (K8) a float with three decimals."""

from pathlib import Path


def make(root: Path) -> None:
    from openpyxl import load_workbook

    from pipeline.network import export_network, load_network

    path = root / "network.xlsx"
    export_network(load_network(root / "kb" / "network"), path)
    wb = load_workbook(path)
    wb["activities"]["K8"] = 37000.505
    wb.save(path)
