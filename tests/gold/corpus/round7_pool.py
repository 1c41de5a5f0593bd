"""Candidate order of corpus gold round 7 (tests/gold/corpus/round7.json 'rule').

Round 7 comes from a second public source, not the tnt305 portal scrape: the repository
``hrmaster1982-dev/phapluat-8chude-data``, whose ``docs/<topic>/<slug>.txt`` files are the text
layer of the signed Official Gazette (Công báo, congbao.chinhphu.vn) PDFs of central state
documents, 2019-2026. The pool is fixed from file names and sizes only, before any candidate
is read in full:

* kind from the file name's slug (``quyet-dinh-so-…``, ``nghi-quyet-so-…``, ``chi-thi-so-…``,
  ``thong-bao-so-…``, …); national legislation is excluded by its slug (``luat``, ``nghi-dinh``,
  ``thong-tu``, ``thong-tu-lien-tich``, ``phap-lenh``, ``van-ban-hop-nhat``) or a ``QH`` symbol
  (a National Assembly resolution); a file whose name is not such a slug is not a candidate;
* one file per Công báo id (the slug's trailing number);
* 1,000 to 60,000 characters (below 1,000 the PDF had no text layer: only the gazette's
  signature stamp is left);
* not a document whose symbol (read from the slug) is already the symbol of a gold document,
  an inventory entry, a metadata gold entry, a 57-NQ/TW label or a seed;
* ordered by the stem (16 hex characters of SHA-256 of ``<repo>:<path>``), so the order is not
  chosen by content; the split is by position: even positions ``heldout``, odd ``reserve``.

``python tests/gold/corpus/round7_pool.py SOURCE`` prints the pool (SOURCE: a clone or bare
mirror of the repository holding ``COMMIT``). Run from the repository root.
"""
import argparse
import glob
import hashlib
import json
import re
import subprocess

REPO = 'hrmaster1982-dev/phapluat-8chude-data'
COMMIT = 'cdfc64c4d0f41cf6c2ef0e8fc725bd7498d4f5a7'
G = 'tests/gold/corpus/'
SLUG = re.compile(r'docs/[^/]+/(?P<kind>[a-z-]+?)-so-(?P<sym>.+)-(?P<cid>\d+)\.txt')
KINDS = {'quyet-dinh': 'Quyết định', 'nghi-quyet': 'Nghị quyết', 'chi-thi': 'Chỉ thị',
         'thong-bao': 'Thông báo', 'cong-van': 'Công văn', 'cong-dien': 'Công điện',
         'ke-hoach': 'Kế hoạch', 'chuong-trinh': 'Chương trình', 'huong-dan': 'Hướng dẫn',
         'quy-dinh': 'Quy định', 'ket-luan': 'Kết luận'}
LEGISLATION = {'luat', 'nghi-dinh', 'thong-tu', 'thong-tu-lien-tich', 'phap-lenh', 'van-ban-hop-nhat'}
MIN_CHARS, MAX_CHARS = 1000, 60000


def stem(path: str) -> str:
    """16 hex characters naming a round-7 document: SHA-256 of ``<repo>:<path>``."""
    return hashlib.sha256(f'{REPO}:{path}'.encode()).hexdigest()[:16]


def symbol_key(symbol: str) -> str:
    """A symbol folded to compare across spellings (Đ as D, separators and case dropped)."""
    return re.sub(r'[^0-9A-Z]', '', symbol.upper().replace('Đ', 'D'))


def known_symbols() -> set:
    """Folded symbols of the documents gold already reads: each gold file's and seed gold's
    document, every inventory entry, the metadata golds and the 57-NQ/TW labels (symbols a gold
    document merely cites are not counted)."""
    found = []
    for path in glob.glob(G + '[0-9a-f]*.json') + glob.glob('tests/gold/seed*.json'):
        gold = json.load(open(path, encoding='utf-8'))
        if gold.get('round') != 7:  # round 7's own gold files came after the pool was fixed
            found.append((gold.get('document') or {}).get('symbol'))
    found += [e.get('symbol') for e in json.load(open(G + 'inventory.json', encoding='utf-8'))]
    for name in ('metadata_round2.json', 'metadata_round4.json'):
        found += [e.get('symbol') for e in json.load(open(G + name, encoding='utf-8'))['documents'].values()]
    found += [e.get('symbol') for e in json.load(open(G + 'labels_57.json', encoding='utf-8'))['files']]
    return {symbol_key(s) for s in found if s}


def git(source: str, *args: str) -> str:
    return subprocess.run(['git', '-C', source, *args], check=True, capture_output=True, text=True).stdout


def pool(source: str) -> dict:
    known = known_symbols()
    files = git(source, 'ls-tree', '-r', '--name-only', COMMIT, 'docs').splitlines()
    seen_ids: set = set()
    candidates, excluded = [], {}
    for path in sorted(files):
        m = SLUG.fullmatch(path)
        if not m:
            continue
        kind, sym, cid = m['kind'], m['sym'], m['cid']
        if kind in LEGISLATION or kind not in KINDS:
            continue  # legislation, or no document kind in the name: not a candidate
        if re.search(r'(^|-)qh\d*$', sym):
            excluded[path] = 'national legislation (a National Assembly resolution, QH symbol)'
            continue
        if cid in seen_ids:
            excluded[path] = 'same Công báo id as an earlier path'
            continue
        seen_ids.add(cid)
        chars = len(git(source, 'show', f'{COMMIT}:{path}'))
        if chars < MIN_CHARS:
            excluded[path] = f'{chars} characters: no text layer'
        elif chars > MAX_CHARS:
            excluded[path] = f'{chars} characters: over {MAX_CHARS}'
        elif symbol_key(sym) in known:
            excluded[path] = 'symbol already in a gold file, the inventory or a seed'
        else:
            candidates.append({'stem': stem(path), 'path': path, 'kind': KINDS[kind], 'chars': chars})
    return ordered(REPO, COMMIT, candidates, excluded)


def ordered(repo: str, commit: str, candidates: list, excluded: dict) -> dict:
    """The pool as round7.json/round8.json keep it: candidates in stem order (a hash of the
    path, so the order is not chosen by content), even positions 'heldout', odd 'reserve'."""
    candidates.sort(key=lambda c: c['stem'])
    for i, c in enumerate(candidates):
        c['position'] = i
        c['split'] = 'heldout' if i % 2 == 0 else 'reserve'
    return {'repo': repo, 'commit': commit, 'order': candidates, 'excluded': excluded}


def cli(pool_of, repo: str, doc: str | None) -> None:
    """Print ``pool_of(<source>)`` as JSON; the source is a clone or bare mirror of ``repo``."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument('source', help='clone or bare mirror of ' + repo)
    print(json.dumps(pool_of(ap.parse_args().source), ensure_ascii=False, indent=1))


if __name__ == '__main__':
    cli(pool, REPO, __doc__)
