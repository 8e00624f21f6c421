"""A small HTTP load generator for the intake API, run as its own process
(`python -m bench.load …`) so its CPU is not the server's: threads with
http.client, either as fast as `--concurrency` connections allow (closed loop)
or at a fixed `--rate` (open loop; a latency counts from the moment the request
was due, so a slow server cannot hide its queue). Prints one JSON line."""

import argparse
import http.client
import json
import random
import threading
import time
from collections import Counter

DESCRIPTIONS = ("楼下商户夜间施工噪声扰民", "小区门口占道经营影响通行", "路灯不亮已经三天", "垃圾清运不及时有异味")


def _body(places: list, rng: random.Random) -> bytes:
    category, region = rng.choice(places)
    return json.dumps(
        {
            "category": category,
            "region": region,
            "address": f"测试路{rng.randint(1, 300)}号",
            "description": rng.choice(DESCRIPTIONS),
            "resident_name": "王测试",
            "resident_phone": f"139{rng.randint(0, 99_999_999):08d}",
        },
        ensure_ascii=False,
    ).encode()


class Load:
    def __init__(self, *, host: str, port: int, places: list, seed: int):
        self.host, self.port, self.places = host, port, places
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.samples: list[str] = []  # the first few refusals, to say why
        self.seed = seed

    def post(self, connection_box: list, rng: random.Random, due: float) -> None:
        body = _body(self.places, rng)
        try:
            if connection_box[0] is None:
                connection_box[0] = http.client.HTTPConnection(self.host, self.port, timeout=30)
            connection = connection_box[0]
            connection.request("POST", "/api/v1/complaints/", body, {"Content-Type": "application/json"})
            answer = connection.getresponse()
            text = answer.read()
            status = answer.status
            if status != 201 and len(self.samples) < 5:
                self.samples.append(f"{status}: {text[:300].decode(errors='replace')}")
            if answer.getheader("Connection", "").lower() == "close":
                connection.close()
                connection_box[0] = None
        except (OSError, http.client.HTTPException) as error:
            status = "error"
            if len(self.samples) < 5:
                self.samples.append(f"error: {error!r}")
            if connection_box[0] is not None:
                connection_box[0].close()
            connection_box[0] = None
        took = time.monotonic() - due
        with self.lock:
            self.statuses[str(status)] += 1
            if status == 201:
                self.latencies.append(took)

    def closed_loop(self, *, seconds: float, concurrency: int) -> None:
        end = time.monotonic() + seconds

        def run(n: int) -> None:
            rng, box = random.Random(self.seed * 1000 + n), [None]  # noqa: S311 - test data, not secrets
            while time.monotonic() < end:
                self.post(box, rng, time.monotonic())

        self._threads(run, concurrency)

    def open_loop(self, *, seconds: float, rate: float, concurrency: int) -> None:
        start = time.monotonic()
        total = int(seconds * rate)
        counter = iter(range(total))

        def run(n: int) -> None:
            rng, box = random.Random(self.seed * 1000 + n), [None]  # noqa: S311 - test data, not secrets
            while True:
                with self.lock:
                    k = next(counter, None)
                if k is None:
                    return
                due = start + k / rate
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                self.post(box, rng, due)

        self._threads(run, concurrency)

    def _threads(self, target, count: int) -> None:
        threads = [threading.Thread(target=target, args=(n,), daemon=True) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--places", required=True, help="JSON file: [[category id, region code], …]")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--rate", type=float, default=0, help="0: as fast as the connections go")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.places, encoding="utf-8") as handle:
        places = json.load(handle)
    load = Load(host="127.0.0.1", port=args.port, places=places, seed=args.seed)
    started = time.time()
    if args.rate:
        load.open_loop(seconds=args.seconds, rate=args.rate, concurrency=args.concurrency)
    else:
        load.closed_loop(seconds=args.seconds, concurrency=args.concurrency)
    print(
        json.dumps(
            {
                "started": started,
                "ended": time.time(),
                "statuses": dict(load.statuses),
                "samples": load.samples,
                "latencies": sorted(load.latencies),
            }
        )
    )


if __name__ == "__main__":
    main()
