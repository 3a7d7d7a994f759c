"""What the fork server of an import's extraction workers loads before forking them.

Importing this module reads and extracts one small made-up article, which loads what
each worker would otherwise load on its first item: the language-identification model
(0.6 CPU-seconds), the entity catalogue and its matcher (0.3 s) and the shipped
registry's patterns. `app.services.parallel` names this module in the fork server's
preload, so every worker is forked with all of it in memory, shared with its siblings
until written, and extracts its first item as fast as its thousandth.
"""

from __future__ import annotations

import gc
import logging

from app.extract import extract_statements
from app.ingest.language import load_model
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_upload
from app.knowledge import shipped

log = logging.getLogger(__name__)

SAMPLE = (
    b"date 2024-03-01 https://www.reuters.com/world/warm-up\n"
    b"Ministers meet again\n\n"
    b"MOSCOW (Reuters) - Sergey Lavrov said on Friday that the talks on grain exports "
    b"would resume next week in Istanbul, and that both delegations had agreed on an "
    b'agenda. "We are ready to listen to every proposal," Lavrov told reporters after '
    b"the meeting with his Turkish counterpart.\n"
)
"""Written for this purpose: with a registry speaker, an outlet and a quotation so that
every lazily built part of the pipeline runs. Being plainly English, it never reaches
the language model, which is loaded on its own."""


def warm_up() -> None:
    """Read and extract SAMPLE once, then freeze what is loaded out of the collector's
    reach, so that no collection in a forked worker touches (and so copies) its pages.

    A failure here costs the workers only their head start, never the import."""
    try:
        load_model()
        [item] = read_upload("warm-up.txt", SAMPLE, limits=IngestLimits())
        if item.article is not None:
            extract_statements(
                item.article.body, published=item.article.published, registry=shipped()
            )
    except Exception:
        log.exception("warming up extraction failed; workers load what they need on first use")
    gc.freeze()


warm_up()
