"""Reads Prometheus's text exposition format on stdin and prints its samples as JSON, parsed by
Prometheus's own Python client (Debian's python3-prometheus-client). A text it cannot parse is an
error (exit 1, the parser's message on stderr). Used by operations.test.mjs."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families = []
for family in text_string_to_metric_families(sys.stdin.read()):
    families.append({
        "name": family.name,
        "type": family.type,
        "help": family.documentation,
        "samples": [{"name": s.name, "labels": s.labels, "value": s.value}
                    for s in family.samples],
    })
json.dump(families, sys.stdout)
