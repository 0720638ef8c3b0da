#!/usr/bin/env python3
"""Lists the groups of modules of src/ that import each other (through crate:: and super::
paths), and the sibling pairs that do so directly. Exits 1 when there is any, 0 when none.
A heuristic: `use child::...` from a parent (re-exports) is not counted."""
import re, pathlib, sys
ROOT = pathlib.Path(__file__).resolve().parent.parent / 'src'
mods = {}
for p in ROOT.rglob('*.rs'):
    rel = p.relative_to(ROOT).with_suffix('')
    parts = list(rel.parts)
    if parts[-1] == 'mod': parts = parts[:-1]
    if parts in (['lib'], ['main']): parts = []
    mods[tuple(parts)] = p
def resolve(path):
    # longest existing module prefix
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in mods: return tuple(path[:n])
    return None
edges = {m: set() for m in mods}
for m, p in mods.items():
    text = p.read_text()
    text = re.sub(r'#\[cfg\(test\)\]\s*mod tests\s*\{.*', '', text, flags=re.S)
    for use in re.findall(r'\b((?:crate|super)(?:::\w+)+)', text):
        segs = use.split('::')
        if segs[0] == 'crate': base = []
        else:
            base = list(m) if p.name == 'mod.rs' or not m else list(m)
            base = base[:-1] if p.name != 'mod.rs' else base[:-1]
            # super from a file module = its parent; from mod.rs = grandparent
        rest = segs[1:]
        while rest and rest[0] == 'super':
            base = base[:-1]; rest = rest[1:]
        target = resolve(base + rest)
        if target is not None and target != m:
            edges[m].add(target)
# Tarjan
index, low, stack, on, sccs, i = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index: strong(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(comp)
for v in mods:
    if v not in index: strong(v)
def name(m): return '::'.join(m) or 'crate'
# report pairs (direct two-way edges) excluding parent<->child
pairs = sorted({tuple(sorted((name(a), name(b)))) for a in edges for b in edges[a] if a in edges[b]})
sib = [p for p in pairs if not (p[1].startswith(p[0] + '::') or p[0].startswith(p[1] + '::') or p[0]=='crate')]
print(f'{len(sccs)} cycles (strongly connected groups); two-way pairs between siblings: {len(sib)}')
for p in sib: print('  ', p[0], '<->', p[1])
for c in sccs: print(' group of', len(c), ':', ', '.join(sorted(name(x) for x in c))[:300])
sys.exit(1 if sccs else 0)
