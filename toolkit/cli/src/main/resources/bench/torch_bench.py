"""PyTorch CPU twin of `slimlab bench`: the same small CNN and ResNet-20, the same data, the same protocol.

Run by BenchCommand with /usr/bin/python3 (Debian python3-torch). Prints one JSON object on the last line of stdout:
{"torch": version, "threads": n, "results": [{"model", "train_images", "train_seconds", "infer_images",
"infer_seconds", "warmup_batches"}...]}. Timing excludes model construction, data loading and warm-up batches
(the same things SlimLab's timing excludes).
"""
import argparse, gzip, json, struct, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530


def read_images(path):
    with gzip.open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">iiii", f.read(16))
        assert magic == 2051, path
        data = f.read(n * rows * cols)
    x = torch.frombuffer(bytearray(data), dtype=torch.uint8).reshape(n, 1, rows, cols).float().div_(255.0)
    return x.sub_(MEAN).div_(STD)


def read_labels(path):
    with gzip.open(path, "rb") as f:
        magic, n = struct.unpack(">ii", f.read(8))
        assert magic == 2049, path
        return torch.frombuffer(bytearray(f.read(n)), dtype=torch.uint8).long()


def small_cnn(classes=10):
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, classes))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


def resnet20(classes=10, widths=(16, 32, 64), n=3):
    layers = [nn.Conv2d(1, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU()]
    c = widths[0]
    for s, w in enumerate(widths):
        for b in range(n):
            layers.append(BasicBlock(c, w, 2 if (b == 0 and s > 0) else 1))
            c = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers)


MODELS = {"small-cnn": small_cnn, "resnet20": resnet20}


def bench(name, xtr, ytr, xte, yte, batch, infer_batch, warmup, lr, seed):
    torch.manual_seed(seed)
    model = MODELS[name]()
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    gen = torch.Generator().manual_seed(seed)

    def step(idx):
        x, y = xtr[idx], ytr[idx]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    model.train()
    order = torch.randperm(xtr.shape[0], generator=gen)
    for i in range(warmup):                       # warm-up: not timed (oneDNN primitive creation, allocator)
        step(order[(i * batch) % xtr.shape[0]:][:batch])
    order = torch.randperm(xtr.shape[0], generator=gen)
    t0 = time.perf_counter()
    loss = None
    for at in range(0, xtr.shape[0], batch):      # one epoch incl. batch gathering, like SlimLab's trainer
        loss = step(order[at:at + batch])
    final_loss = float(loss)
    train_s = time.perf_counter() - t0

    model.eval()
    with torch.no_grad():
        model(xte[:infer_batch])                  # warm-up
        t0 = time.perf_counter()
        correct = 0
        for at in range(0, xte.shape[0], infer_batch):
            correct += int((model(xte[at:at + infer_batch]).argmax(1) == yte[at:at + infer_batch]).sum())
        infer_s = time.perf_counter() - t0
    return {"model": name, "train_images": int(xtr.shape[0]), "train_seconds": train_s, "final_loss": final_loss,
            "infer_images": int(xte.shape[0]), "infer_seconds": infer_s, "warmup_batches": warmup,
            "test_acc": correct / xte.shape[0]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--models", default="small-cnn,resnet20")
    p.add_argument("--images", type=int, default=60000)
    p.add_argument("--infer-images", type=int, default=10000)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--infer-batch", type=int, default=500)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    d = a.data.rstrip("/")
    xtr, ytr = read_images(d + "/train-images-idx3-ubyte.gz"), read_labels(d + "/train-labels-idx1-ubyte.gz")
    xte, yte = read_images(d + "/t10k-images-idx3-ubyte.gz"), read_labels(d + "/t10k-labels-idx1-ubyte.gz")
    xtr, ytr = xtr[:a.images].contiguous(), ytr[:a.images].contiguous()
    xte, yte = xte[:a.infer_images].contiguous(), yte[:a.infer_images].contiguous()
    results = []
    for name in [m.strip() for m in a.models.split(",") if m.strip()]:
        r = bench(name, xtr, ytr, xte, yte, a.batch, a.infer_batch, a.warmup, a.lr, a.seed)
        print(f"torch {name}: train {r['train_seconds']:.2f} s ({r['train_images']} images), "
              f"infer {r['infer_seconds']:.2f} s ({r['infer_images']} images)", file=sys.stderr, flush=True)
        results.append(r)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "mkldnn": torch.backends.mkldnn.is_available(), "results": results}))


if __name__ == "__main__":
    main()
