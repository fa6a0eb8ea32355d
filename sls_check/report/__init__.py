"""`slscheck report`: one self-contained HTML page with the graph, the findings, the bill against
traffic, Lambda vs Fargate, quota headroom and walls, assumptions and sources.

    collect(path, ...)   -> SpecReport   (values only; sls_check.report.collect)
    render([reports])    -> str          (the page; sls_check.report.html, draws with matplotlib)

matplotlib (the `report` extra) is imported by sls_check.report.charts only, when a chart is drawn.
"""
