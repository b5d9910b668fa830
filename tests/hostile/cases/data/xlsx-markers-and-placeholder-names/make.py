"""The sample network as a workbook, with a <draft> title, placeholder names and a FIXME vision."""

from pathlib import Path


def make(root: Path) -> None:
    from openpyxl import load_workbook

    from pipeline.network import export_network, load_network

    path = root / "network.xlsx"
    export_network(load_network(root / "kb" / "network"), path)
    wb = load_workbook(path)
    wb["activities"]["B5"] = "Toolkit <draft>"
    wb["clusters"]["E4"] = "Mr. Hiro Sample"  # digital-tvet's convener
    wb["organisations"]["K2"] = "Kofi Sample"
    wb["network"]["B12"] = "FIXME"  # strategy.vision
    wb.save(path)
