"""The rule engine: packs as data, conditions as a table of operators, a few named checks."""
