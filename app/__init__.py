"""App: retrieve -> answer -> present (cli, web, quiz)."""

# indexer's __init__ caps OpenBLAS threads; it must run before any app module loads numpy
import indexer  # noqa: F401
