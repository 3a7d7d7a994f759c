"""The one error type ingest raises: its message is shown to the editor as it is."""


class IngestError(ValueError):
    """Input that cannot become an article; `str(error)` is a sentence for the editor."""
