"""briefgen: briefing reports from YAML to PDF, Word and HTML."""

__version__ = "0.1.0"
