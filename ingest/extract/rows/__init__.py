"""Row splitters: turn each input layout (TSV cells, PDF word positions, interleaved PDF text, OCR lines) into table rows."""
