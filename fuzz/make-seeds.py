# Writes the seed corpus of fuzz/pickle_load_fuzzer (fuzz/corpus/pickle/): small torch.save
# archives made by PyTorch, and bare pickles that the harness wraps into an archive whose
# data/ records are 0 (64 bytes), 1 (4 bytes) and 2 (empty). Run with PyTorch's Python:
#   /work/pyvenv/bin/python fuzz/make-seeds.py
import collections, io, os, struct, zipfile
import torch

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus', 'pickle')
os.makedirs(out, exist_ok=True)

def save(name, value):
    b = io.BytesIO()
    torch.save(value, b)
    open(os.path.join(out, name + '.pt'), 'wb').write(b.getvalue())
    return b.getvalue()

def pkl_of(archive):
    z = zipfile.ZipFile(io.BytesIO(archive))
    return z.read([n for n in z.namelist() if n.endswith('/data.pkl')][0])

def raw(name, pkl):
    open(os.path.join(out, name + '.pkl'), 'wb').write(pkl)

t = torch.arange(4, dtype=torch.float32)
save('tensor', t)
save('dtypes', {'f64': torch.ones(2, dtype=torch.float64), 'i64': torch.tensor([1, -2]), 'b': torch.tensor([True]),
                'f16': torch.ones(1, dtype=torch.float16), 'u8': torch.tensor([255], dtype=torch.uint8)})
save('views', {'a': t, 'b': t[1:3], 'c': t.view(2, 2).t(), 'empty': torch.ones(0, 3)})
save('nested', {'list': [1, 2.5, 'x', None, True, [t]], 'tuple': (1, (2, 3)), 'neg': -7, 'int32': 2**31 - 1})
save('ordereddict', collections.OrderedDict(a=t))
save('state_dict', torch.nn.Linear(2, 1).state_dict())
attributed = torch.ones(2)
attributed.note = 'x'
save('subclass', attributed)
save('complex', {'c': complex(1, 2), 'z': torch.ones(1, dtype=torch.complex64)})

# Bare pickles over the harness's records: storage key '0' (64 bytes) as 16 floats.
P = b'\x80\x02'
def storage(key, numel, dtype=b'FloatStorage'):
    k = key.encode()
    return (b'(X\x07\x00\x00\x00storagectorch\n' + dtype + b'\nX' + struct.pack('<I', len(k)) + k +
            b'X\x03\x00\x00\x00cpuK' + bytes([numel]) + b'tQ')
def rebuild(key, numel, offset, size, stride):
    ints = lambda xs: b'(' + b''.join(b'K' + bytes([x]) for x in xs) + b't'
    return (b'ctorch._utils\n_rebuild_tensor_v2\n(' + storage(key, numel) + b'K' + bytes([offset]) + ints(size) +
            ints(stride) + b'\x89ccollections\nOrderedDict\n)RtR')
raw('tensor', P + rebuild('0', 16, 0, [4, 4], [4, 1]) + b'.')
raw('tensor-view', P + b'}q\x00(X\x01\x00\x00\x00a' + rebuild('0', 16, 2, [3, 2], [1, 3]) + b'X\x01\x00\x00\x00b' +
    rebuild('1', 1, 0, [1], [1]) + b'u.')
raw('lists', P + b']q\x00(K\x01M\x00\x01J\x00\x00\x01\x00\x8a\x08' + b'\x01' * 8 + b'G?\xf0\x00\x00\x00\x00\x00\x00N\x88\x89e.')
raw('memo', P + b'}q\x00(X\x01\x00\x00\x00aq\x01]q\x02(K\x01K\x02eX\x01\x00\x00\x00bh\x02h\x01\x86u.')
raw('tuples', P + b'((K\x01K\x02K\x03K\x04t)K\x05\x85K\x06K\x07\x86K\x08K\x09K\x0a\x87l.')
raw('type-tag', P + b'ctorch.jit._pickle\nrestore_type_tag\nq\x00]q\x01(K\x01K\x02eX\t\x00\x00\x00List[int]\x86R.')
raw('intlist', P + b'ctorch.jit._pickle\nbuild_intlist\n]q\x00(K\x01K\x02e\x85R.')
raw('device', P + b'ctorch\ndevice\nX\x03\x00\x00\x00cpu\x85R.')
raw('dict-op', P + b'(X\x01\x00\x00\x00aK\x01X\x01\x00\x00\x00bK\x02d.')
raw('ordereddict', P + b'ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00aK\x01s.')
for name in ('subclass', 'state_dict', 'nested'):
    raw('from-' + name, pkl_of(open(os.path.join(out, name + '.pt'), 'rb').read()))
