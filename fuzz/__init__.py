"""Parser fuzzing with atheris (SECURITY.md §6 row 15; docs/reliability.md "Row 15").

One libFuzzer target per parser that reads outside input; each lets only that parser's documented
refusal escape. `python -m fuzz` runs them (fuzz/__main__.py); `make fuzz` runs them for 10 minutes each.
"""

#: target module (fuzz/<name>.py) → what it fuzzes
TARGETS: dict[str, str] = {
    "id_number": "居民身份证号码 validation (domain.identifiers)",
    "uscc": "统一社会信用代码 validation (domain.identifiers)",
    "phone": "phone number checks (registration, appointments, forms, masking, blind index)",
    "upload": "upload sniffer (common.uploads.inspect_upload)",
    "catalog_import": "catalogue Excel import (catalog.excel: reading and grouping)",
    "workdays": "working-day calculator (domain.calendar, domain.deadlines)",
}
