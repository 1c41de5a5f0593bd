"""Round 5 candidate order (see tests/gold/corpus/round5.json 'rule')."""
import glob
import json
import os
import re
import sys

G = 'tests/gold/corpus/'
inv = json.load(open(G + 'inventory.json'))
used = set()
for f in ['split.json', 'round2.json', 'round3.json', 'round4.json']:
    used |= set(re.findall(r'[0-9a-f]{16}', open(G + f).read()))
meta = set()
for f in ['metadata_round2.json', 'metadata_round4.json']:
    meta |= set(re.findall(r'[0-9a-f]{16}', open(G + f).read()))
quoted = {os.path.basename(p)[:16] for p in glob.glob('tests/data/corpus_articles/*')}
cue = re.compile(r'chủ trì|có trách nhiệm|[Gg]iao (cho )?(Sở|Bộ|Ủy|UBND|Ban|Công an)')
nat = re.compile(r'LUẬT|NGHỊ ĐỊNH|THÔNG TƯ')
order, excluded = [], {}
for e in sorted(inv, key=lambda e: e['file']):
    st = e['file'][:16]
    if st in used or st in quoted or e['header'] not in ('state', 'party') or e['size_chars'] > 80000:
        continue
    txt = open(sys.argv[1] + '/' + e['file'], encoding='utf-8').read()
    if not cue.search(txt):
        continue
    k, sym = e.get('kind') or '', e.get('symbol') or ''
    if nat.search(k) or '/QH' in sym or 'VBHN' in sym:
        excluded[e['file']] = 'national legislation (kind/symbol)'
    elif st in meta:
        excluded[e['file']] = 'in a metadata gold (metadata_round2/4.json): header developed on'
    else:
        order.append(e['file'])
print(json.dumps({'order': order, 'excluded': excluded}, ensure_ascii=False, indent=1))
