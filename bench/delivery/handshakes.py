#!/usr/bin/env python3
"""Full TLS handshakes per second against host:port with a server name (SNI), from PROCESSES
client processes for SECONDS: each connection is new and offers no session to resume, so every
one is a full handshake (what `openssl s_time -new` measures, but with SNI, which OpenSSL 3.0's
s_time cannot send). Prints one number: handshakes per second, wall clock."""
import multiprocessing
import socket
import ssl
import sys
import time


def worker(host, port, name, seconds, out):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    done = failed = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection((host, port), timeout=5) as raw:
                with ctx.wrap_socket(raw, server_hostname=name):
                    done += 1
        except OSError:
            failed += 1
    out.put((done, failed))


def main():
    host, port, name, seconds, processes = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
    out = multiprocessing.Queue()
    started = time.monotonic()
    workers = [multiprocessing.Process(target=worker, args=(host, port, name, seconds, out)) for _ in range(processes)]
    for w in workers:
        w.start()
    results = [out.get() for _ in workers]
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    done = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    if failed and not done:
        sys.exit("every handshake failed")
    print(round(done / elapsed))


if __name__ == "__main__":
    main()
