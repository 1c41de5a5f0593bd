"""Candidate order of corpus gold round 8 (tests/gold/corpus/round8.json 'rule').

Round 8 comes from ``Trangsct/skill-sct``, the skill repository of a provincial Department of
Industry and Trade (Sở Công Thương Lào Cai): it keeps the originals (DOCX, PDF, a few legacy
``.doc``) that the department issued, received or drafted, beside national legislation, forms,
drafts, templates and references. Round 7 was central documents only; round 8 is the provincial,
commune and party levels in the files a user actually drops into plankg. The pool is fixed from
paths, blobs and the ``Số:`` line only, before any candidate is read in full:

* a candidate's file name (``.docx``, ``.doc`` or ``.pdf``) starts with the code or slug of a
  kind the rule keeps (``KH``/``ke-hoach`` plan, ``CTr``/``chuong-trinh`` program, ``QD``/
  ``quyet-dinh`` decision, ``CT``/``chi-thi`` directive, ``NQ``/``nghi-quyet`` resolution,
  ``CV``/``VB``/``cong-van`` letter, ``TB``/``thong-bao``/``Thong_bao`` notice), optionally after a
  ``SCT-CN_`` / ``<n>_SCT_CN_`` prefix (a letter numbered ``<n>/SCT-CN``) or a leading date;
  reports, submissions (Tờ trình), records (Biên bản), licences, forms and slides are not kinds
  the rule keeps;
* excluded by name: national legislation and central bodies' documents (a token ``CP``, ``TTg``,
  ``BCT``, ``BXD``, ``BCA``, ``BGTVT``, ``BNNMT``, ``TTCP``, ``QH…`` or ``Cuc…``, or a folder of
  laws, decrees, circulars), drafts (``du-thao``), forms (``Mau``, ``mau-ho-so/``), templates
  (``templates/``);
* one file per blob (a second path holding the same bytes is the same document);
* a blob the mirror lacks (a large file the snapshot left out) is excluded, with that reason;
* a PDF whose text layer has under 200 characters (a scan: no text to read) is excluded, with
  that reason, as is a DOCX/DOC whose text cannot be read;
* not a document whose symbol (the ``Số:`` line of the file, folded) is already the symbol of a
  gold document (rounds 1-7 and the seeds), an inventory entry, a metadata gold entry or a
  57-NQ/TW label;
* ordered by stem (16 hex characters of SHA-256 of ``<repo>:<path>``); split by position: even
  ``heldout``, odd ``reserve``.

``python tests/gold/corpus/round8_pool.py SOURCE`` prints the pool (SOURCE: a clone or bare
mirror holding ``COMMIT``). Run from the repository root. Needs python-docx, pdfplumber and, for
a ``.doc``, LibreOffice (``soffice``).
"""
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from round7_pool import cli, ordered, symbol_key  # noqa: E402  (one fold for symbols, one order and split, across rounds)

REPO = 'Trangsct/skill-sct'
COMMIT = '3821ed3bb6381b6340da81feaa135a329b025137'
G = 'tests/gold/corpus/'
KINDS = {'KH': 'Kế hoạch', 'ke-hoach': 'Kế hoạch', 'CTr': 'Chương trình', 'chuong-trinh': 'Chương trình',
         'QD': 'Quyết định', 'quyet-dinh': 'Quyết định', 'CT': 'Chỉ thị', 'chi-thi': 'Chỉ thị',
         'NQ': 'Nghị quyết', 'nghi-quyet': 'Nghị quyết', 'CV': 'Công văn', 'VB': 'Công văn',
         'cong-van': 'Công văn', 'TB': 'Thông báo', 'thong-bao': 'Thông báo', 'Thong_bao': 'Thông báo'}
NAME = re.compile(r'(?:\d{4}-|[\d.]+_)?(?:SCT[-_]CN_)?(?P<kind>' + '|'.join(
    sorted(map(re.escape, KINDS), key=len, reverse=True)) + r')(?:[-_.]|$)')
LETTER_NO = re.compile(r'\d+_SCT[-_]CN_')  # "<n>_SCT_CN_…": a letter numbered <n>/SCT-CN
CENTRAL = re.compile(r'(^|[-_.])(CP|TTg|BCT|BXD|BCA|BGTVT|BNNMT|TTCP|QH\d*|Cuc[A-Za-z]*)([-_.]|$)')
LEGISLATION_DIRS = re.compile(r'/(0\d-)?(luat|nghi-dinh|thong-tu|qcvn-tcvn)/')
EXCLUDED_NAME = re.compile(r'(?i)du-thao|(^|[-_])mau([-_]|$)|/mau-ho-so/|/templates/')
MIN_TEXT = 200
SO_LINE = re.compile(r'Số\s*:\s*([^\s,;]+(?:\s*/\s*[^\s,;]+)?)')


def stem(path: str) -> str:
    """16 hex characters naming a round-8 document: SHA-256 of ``<repo>:<path>``."""
    return hashlib.sha256(f'{REPO}:{path}'.encode()).hexdigest()[:16]


def git(source: str, *args: str) -> str:
    return subprocess.run(['git', '-C', source, *args], check=True, capture_output=True, text=True).stdout


def blob(source: str, path: str) -> bytes | None:
    """The bytes of ``path`` at COMMIT, or None when the mirror lacks the object."""
    done = subprocess.run(['git', '-C', source, 'show', f'{COMMIT}:{path}'], capture_output=True)
    return done.stdout if done.returncode == 0 else None


def doc_to_docx(data: bytes) -> bytes:
    """A legacy ``.doc`` converted by LibreOffice headless (the only way python-docx reads it)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / 'in.doc').write_bytes(data)
        subprocess.run(['soffice', '--headless', '--convert-to', 'docx', '--outdir', tmp, str(Path(tmp) / 'in.doc')],
                       check=True, capture_output=True, timeout=180)
        return (Path(tmp) / 'in.docx').read_bytes()


def text_of(path: str, data: bytes) -> str:
    """The plain text of a DOCX (paragraphs and table cells) or of a PDF's text layer."""
    if path.endswith('.pdf'):
        import pdfplumber
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return '\n'.join(page.extract_text() or '' for page in pdf.pages)
    import docx
    d = docx.Document(io.BytesIO(doc_to_docx(data) if path.endswith('.doc') else data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return '\n'.join(parts)


def known_symbols() -> set:
    """Folded symbols of the documents gold already reads (rounds 1-7 included, round 8's own
    gold files excluded: they came after the pool was fixed), as round7_pool.known_symbols."""
    found = []
    for path in sorted(Path(G).glob('[0-9a-f]*.json')) + sorted(Path('tests/gold').glob('seed*.json')):
        gold = json.loads(path.read_text(encoding='utf-8'))
        if gold.get('round') != 8:
            found.append((gold.get('document') or {}).get('symbol'))
    found += [e.get('symbol') for e in json.loads(Path(G + 'inventory.json').read_text(encoding='utf-8'))]
    for name in ('metadata_round2.json', 'metadata_round4.json'):
        found += [e.get('symbol') for e in json.loads(Path(G + name).read_text(encoding='utf-8'))['documents'].values()]
    found += [e.get('symbol') for e in json.loads(Path(G + 'labels_57.json').read_text(encoding='utf-8'))['files']]
    return {symbol_key(s) for s in found if s}


def kind_of(path: str) -> str | None:
    """The kind the file name gives, or None when it names no kind the rule keeps."""
    name = path.rsplit('/', 1)[-1]
    if not name.endswith(('.docx', '.doc', '.pdf')):
        return None
    if LETTER_NO.match(name):
        return 'Công văn'
    m = NAME.match(name)
    return KINDS[m['kind']] if m else None


def pool(source: str) -> dict:
    known = known_symbols()
    rows = git(source, 'ls-tree', '-r', COMMIT).splitlines()
    seen_blobs: dict = {}
    candidates, excluded = [], {}
    for row in sorted(rows, key=lambda r: r.split('\t', 1)[1]):
        meta, path = row.split('\t', 1)
        sha = meta.split()[2]
        kind = kind_of(path)
        if kind is None:
            continue  # no kind the rule keeps in the name: not a candidate
        name = path.rsplit('/', 1)[-1]
        if CENTRAL.search(name.rsplit('.', 1)[0]) or LEGISLATION_DIRS.search(path):
            excluded[path] = 'national legislation or a central body (name or folder)'
            continue
        if EXCLUDED_NAME.search(path):
            excluded[path] = 'a draft, form or template (name or folder)'
            continue
        if sha in seen_blobs:
            excluded[path] = f'same bytes as {seen_blobs[sha]}'
            continue
        seen_blobs[sha] = path
        data = blob(source, path)
        if data is None:
            excluded[path] = 'absent from the mirror (object not in the snapshot)'
            continue
        try:
            text = text_of(path, data)
        except Exception as exc:  # noqa: BLE001 — any unreadable file is excluded with its reason
            excluded[path] = f'unreadable: {type(exc).__name__}'
            continue
        chars = len(''.join(text.split()))
        if chars < MIN_TEXT:
            excluded[path] = f'{chars} non-space characters of text: a scan without a text layer'
            continue
        m = SO_LINE.search(text)
        symbol = re.sub(r'\s+', '', m[1]) if m else None
        if symbol and symbol_key(symbol) in known:
            excluded[path] = f'symbol {symbol} already in a gold file, the inventory or a seed'
            continue
        candidates.append({'stem': stem(path), 'path': path, 'kind': kind,
                           'format': path.rsplit('.', 1)[-1], 'bytes': len(data), 'blob': sha})
    return ordered(REPO, COMMIT, candidates, excluded)


if __name__ == '__main__':
    cli(pool, REPO, __doc__)
