# Tune/hold halves of magnetic-tile's test/ as two MVTec-layout folders of symlinks, drawn
# exactly as research/preprocessing-proxy.ts draws them (docs/results/notebook.md rounds 2-4):
# per defect type, files sorted, each given rnd() from seed 12345, sorted by the draw, even
# positions -> tune, odd -> hold; masks linked beside them; train/ linked in both.
# usage: python3 research/make-halves.py DATA_DIR OUT_DIR   (standard library only)
#        (e.g. ../shared/data/magnetic-tile research-out/halves; writes OUT_DIR/mt-tune, mt-hold)
import math, os, sys

TYPES = ['good', 'blowhole', 'break', 'crack', 'fray', 'uneven']

def split(src):
    """{(type, file name): 'tune' | 'hold'} for every test image under src."""
    seed = 12345.0
    def rnd():
        nonlocal seed
        seed = math.fmod(seed * 1103515245.0 + 12345.0, 2147483648.0)
        return seed / 2147483648.0
    half = {}
    for t in TYPES:
        files = sorted(os.listdir(f'{src}/test/{t}'))
        order = sorted([(rnd(), f) for f in files], key=lambda e: e[0])
        for j, (_, f) in enumerate(order):
            half[(t, f)] = 'tune' if j % 2 == 0 else 'hold'
    return half

def main():
    if len(sys.argv) != 3:
        sys.exit('usage: make-halves.py DATA_DIR OUT_DIR   (writes OUT_DIR/mt-tune and OUT_DIR/mt-hold)')
    src, out = os.path.abspath(sys.argv[1]), sys.argv[2]
    counts = {}
    for (t, f), half in sorted(split(src).items(), key=lambda e: TYPES.index(e[0][0])):
        d = f'{out}/mt-{half}'
        os.makedirs(f'{d}/test/{t}', exist_ok=True)
        os.symlink(f'{src}/test/{t}/{f}', f'{d}/test/{t}/{f}')
        counts[(half, t)] = counts.get((half, t), 0) + 1
        if t != 'good':
            stem = os.path.splitext(f)[0]
            for m in (f'{stem}.png', f'{stem}_mask.png'):
                if os.path.exists(f'{src}/ground_truth/{t}/{m}'):
                    os.makedirs(f'{d}/ground_truth/{t}', exist_ok=True)
                    os.symlink(f'{src}/ground_truth/{t}/{m}', f'{d}/ground_truth/{t}/{m}')
    for half in ['tune', 'hold']:
        # evaluate wants train/good (baselines, generator check): the real one
        os.symlink(f'{src}/train', f'{out}/mt-{half}/train')
    print(sorted(counts.items()))

if __name__ == '__main__':
    main()
