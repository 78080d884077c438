"""The offline demo: a bundled demo web (``data/demo``) and the flow that scans it.

:mod:`exposure.demo.server` serves the demo web on 127.0.0.1;
:mod:`exposure.demo.flow` runs the real engine against it (``exposure demo``).
"""
