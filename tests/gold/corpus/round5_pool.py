"""Candidate order of a corpus gold round (tests/gold/corpus/round5.json and round6.json 'rule').

``python tests/gold/corpus/round5_pool.py CORPUS`` prints round 5's order (pages with at least
one assignment cue, outside rounds 1-4); ``--round 6`` prints round 6's (pages with none,
outside rounds 1-5 and every gold file). Run from the repository root.
"""
import argparse
import glob
import json
import os
import re

G = 'tests/gold/corpus/'
CUE = re.compile(r'chủ trì|có trách nhiệm|[Gg]iao (cho )?(Sở|Bộ|Ủy|UBND|Ban|Công an)')
NATIONAL = re.compile(r'LUẬT|NGHỊ ĐỊNH|THÔNG TƯ')


def stems(*names: str) -> set:
    found = set()
    for name in names:
        found |= set(re.findall(r'[0-9a-f]{16}', open(G + name, encoding='utf-8').read()))
    return found


def pool(corpus: str, number: int) -> dict:
    inv = json.load(open(G + 'inventory.json', encoding='utf-8'))
    earlier = ['split.json', 'round2.json', 'round3.json', 'round4.json'] + (['round5.json'] if number >= 6 else [])
    used = stems(*earlier)
    if number >= 6:  # every document that has a gold file already (round 5's included)
        used |= {os.path.basename(p)[:16] for p in glob.glob(G + '[0-9a-f]*.json')}
    meta = stems('metadata_round2.json', 'metadata_round4.json')
    quoted = {os.path.basename(p)[:16] for p in glob.glob('tests/data/corpus_articles/*')}
    order, excluded = [], {}
    for e in sorted(inv, key=lambda e: e['file']):
        st = e['file'][:16]
        if st in used or st in quoted or e['header'] not in ('state', 'party') or e['size_chars'] > 80000:
            continue
        txt = open(os.path.join(corpus, e['file']), encoding='utf-8').read()
        if bool(CUE.search(txt)) != (number == 5):  # round 5: at least one cue; round 6: none
            continue
        k, sym = e.get('kind') or '', e.get('symbol') or ''
        if NATIONAL.search(k) or '/QH' in sym or 'VBHN' in sym:
            excluded[e['file']] = 'national legislation (kind/symbol)'
        elif st in meta:
            excluded[e['file']] = 'in a metadata gold (metadata_round2/4.json): header developed on'
        else:
            order.append(e['file'])
    return {'order': order, 'excluded': excluded}


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('corpus')
    ap.add_argument('--round', dest='number', type=int, choices=(5, 6), default=5)
    args = ap.parse_args()
    print(json.dumps(pool(args.corpus, args.number), ensure_ascii=False, indent=1))
