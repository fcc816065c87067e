"""No-op task throughput of mpi4py.futures' MPIPoolExecutor (one submit per task).
Run as: mpirun -n N python3 -m mpi4py.futures bench/mpi4py_noop.py TASKS
Prints: mpi4py ranks=<n> items=<count> seconds=<s> rate=<items/s>"""
import sys
import time

from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor, wait


def noop(x):
    return x


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    with MPIPoolExecutor() as pool:
        pool.submit(noop, 0).result()  # workers are up
        start = time.perf_counter()
        futures = [pool.submit(noop, i) for i in range(count)]
        wait(futures)
        seconds = time.perf_counter() - start
    assert all(f.result() == i for i, f in enumerate(futures))
    print(f"mpi4py ranks={MPI.COMM_WORLD.Get_size()} items={count} seconds={seconds:.4f} rate={count / seconds:.0f}")


if __name__ == "__main__":
    main()
