#!/usr/bin/env python3
"""Rewrites README.md's policy table from `build/native/eventuall policy`
(the registry's declared policies). tests/native/authorization_matrix_test.cpp
fails when the two differ."""
import pathlib, subprocess, sys

root = pathlib.Path(__file__).resolve().parent.parent
table = subprocess.run([str(root / "build/native/eventuall"), "policy"], check=True,
                       capture_output=True, text=True).stdout
readme = root / "README.md"
text = readme.read_text()
start = text.index("| operation | who may call it | API key scope |")
end = text.index("\n\n", start) + 1
readme.write_text(text[:start] + table + text[end:])
print("README.md: policy table of", table.count("\n") - 2, "operations", file=sys.stderr)
