"""A sweep across two simulated hosts: task inputs move between hosts over TCP.

Each host is a network namespace with its own hostname (a UTS namespace), joined to the other by
a bridge in a third namespace; addresses 10.200.0.0/24 exist only inside these namespaces, which
have no default route, so nothing outside can be reached. mpirun runs on host 1 and starts host
2's daemon through a launcher agent (OMPI_MCA_plm_rsh_agent) instead of ssh; MPI traffic is TCP
only (btl tcp,self: no shared memory, not even within a host). The recipe is ENVIRONMENT.md's.

The canvas: a producer whose 1 MB output stays on the worker that made it (too large to ship to
rank 0), and six consumers of it, each needing a whole 2-CPU worker, so that they spread over
the three workers on both hosts. Each consumer reads its input, reports its size, a digest and
the host it ran on. The results must equal a one-host run's, and the consumers must have run on
both hosts (so at least one of them fetched the producer's output from the other host).

Needs root (network namespaces); without it, or without `ip`/`unshare`/`nsenter`, the test
fails: it does not skip. Everything it creates is removed, even when it fails.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import h5py
import numpy as np

from fai_e2e import FAI_SWEEP, MPI_ENV, TempDirTest, fai

SBIN_PATH = "/usr/sbin:/sbin:" + os.environ.get("PATH", "/usr/bin:/bin")

CONSUMER = """\
import hashlib, json, os, socket, sys, time
data = json.load(open(sys.argv[1]))
time.sleep(0.3)  # long enough for the consumers to spread over the workers
json.dump({"bytes": len(data), "digest": hashlib.sha256(data.encode()).hexdigest()[:16],
           "host": socket.gethostname()}, open(os.environ["FAI_OUTPUT"], "w"))
"""

CANVAS = {
    "version": 1,
    "name": "two hosts",
    "modules": [
        {"id": "p", "type": "noop", "params": {"payload_bytes": 1000000}},
        {"id": "c", "type": "command", "inputs": {"data": "p.payload"}, "resources": {"num_cpus": 2},
         "params": {"argv": ["/usr/bin/python3", "{canvas_dir}/consume.py", "{inputs.data}"], "k": 0}},
    ],
}
GRID = "grid:\n  c.k: [1, 2, 3, 4, 5, 6]\n"


def tool(name):
    path = shutil.which(name, path=SBIN_PATH)
    if path is None:
        raise AssertionError(f"{name} not found: the several-hosts test needs iproute2 and util-linux "
                             "(scripts/install-deps.sh)")
    return path


class FakeHosts:
    """Two hosts in network + UTS namespaces, a bridge between them, and an ssh-like agent."""

    def __init__(self, count=2):
        self.ip, self.unshare, self.nsenter = tool("ip"), tool("unshare"), tool("nsenter")
        tag = str(os.getpid())
        self.dir = tempfile.mkdtemp(prefix="fai-hosts-")
        self.bridge_ns = f"faibr{tag}"
        self.hosts = [f"fai{tag}h{n}" for n in range(1, count + 1)]          # hostnames
        self.netns = {h: f"faih{n}x{tag}" for n, h in enumerate(self.hosts, 1)}
        self.addr = {h: f"10.200.0.{n}" for n, h in enumerate(self.hosts, 1)}
        self.uts = {h: os.path.join(self.dir, f"uts-{h}") for h in self.hosts}
        self.created_ns = []
        self.mounted = []
        self.agent = os.path.join(self.dir, "agent")

    def sh(self, *args):
        proc = subprocess.run(list(args), capture_output=True, text=True, timeout=30)
        if proc.returncode != 0:
            raise AssertionError(f"setting up the fake hosts failed: {' '.join(args)}: exit {proc.returncode}: "
                                 f"{proc.stderr.strip()}")

    def add_ns(self, name):
        self.sh(self.ip, "netns", "add", name)
        self.created_ns.append(name)

    def setup(self):
        if os.geteuid() != 0:
            raise AssertionError("the several-hosts test needs root (it creates network namespaces)")
        self.add_ns(self.bridge_ns)
        self.sh(self.ip, "-n", self.bridge_ns, "link", "add", "br0", "type", "bridge")
        self.sh(self.ip, "-n", self.bridge_ns, "link", "set", "br0", "up")
        hosts_file = "127.0.0.1 localhost\n" + "".join(f"{self.addr[h]} {h}\n" for h in self.hosts)
        for n, h in enumerate(self.hosts, 1):
            ns = self.netns[h]
            self.add_ns(ns)
            self.sh(self.ip, "-n", self.bridge_ns, "link", "add", f"v{n}", "type", "veth", "peer", "name", "eth0",
                    "netns", ns)
            self.sh(self.ip, "-n", self.bridge_ns, "link", "set", f"v{n}", "master", "br0", "up")
            self.sh(self.ip, "-n", ns, "addr", "add", self.addr[h] + "/24", "dev", "eth0")
            self.sh(self.ip, "-n", ns, "link", "set", "eth0", "up")
            self.sh(self.ip, "-n", ns, "link", "set", "lo", "up")
            os.makedirs(f"/etc/netns/{ns}", exist_ok=True)
            with open(f"/etc/netns/{ns}/hosts", "w") as f:
                f.write(hosts_file)
            open(self.uts[h], "w").close()
            self.sh(self.unshare, f"--uts={self.uts[h]}", "hostname", h)
            self.mounted.append(self.uts[h])
        cases = "".join(f'  {h}) ns={self.netns[h]}; uts={self.uts[h]} ;;\n' for h in self.hosts)
        with open(self.agent, "w") as f:
            f.write("#!/bin/sh\n"
                    "# Called like ssh by mpirun: agent [options] HOST COMMAND...\n"
                    'while [ $# -gt 0 ]; do case "$1" in -*) shift ;; *) break ;; esac; done\n'
                    'host="$1"; shift\n'
                    'case "$host" in\n' + cases +
                    '  *) echo "agent: unknown host $host" >&2; exit 255 ;;\n'
                    "esac\n"
                    f'exec {self.ip} netns exec "$ns" {self.nsenter} --uts="$uts" sh -c "$*"\n')
        os.chmod(self.agent, 0o755)
        os.makedirs(os.path.join(self.dir, "ompi"))

    def mpi_env(self):
        env = dict(os.environ)
        env.update(MPI_ENV)
        env.update(PATH=SBIN_PATH,
                   OMPI_MCA_plm_rsh_agent=self.agent,
                   OMPI_MCA_pml="ob1",
                   OMPI_MCA_btl="tcp,self",
                   OMPI_MCA_btl_tcp_if_include="10.200.0.0/24",
                   OMPI_MCA_oob_tcp_if_include="10.200.0.0/24",
                   # without it, cross-host latency on 2 cores is milliseconds
                   OMPI_MCA_mpi_yield_when_idle="1",
                   OMPI_MCA_orte_tmpdir_base=os.path.join(self.dir, "ompi"))
        return env

    def on_first_host(self, argv):
        """argv run on host 1, as a process of its network and UTS namespaces."""
        h = self.hosts[0]
        return [self.ip, "netns", "exec", self.netns[h], self.nsenter, f"--uts={self.uts[h]}", *argv]

    def teardown(self):
        problems = []
        for ns in reversed(self.created_ns):
            # Only processes inside our own namespaces.
            pids = subprocess.run([self.ip, "netns", "pids", ns], capture_output=True, text=True).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            if subprocess.run([self.ip, "netns", "del", ns], capture_output=True).returncode != 0:
                problems.append("ip netns del " + ns)
            shutil.rmtree(f"/etc/netns/{ns}", ignore_errors=True)
        for path in self.mounted:
            for _ in range(20):
                if subprocess.run(["umount", path], capture_output=True).returncode == 0:
                    break
                time.sleep(0.1)
            else:
                problems.append("umount " + path)
        shutil.rmtree(self.dir, ignore_errors=True)
        if problems:
            raise AssertionError("cleaning up the fake hosts failed: " + ", ".join(problems))


def summary(path):
    with h5py.File(path, "r") as f:
        return f["summary"][()]


class SeveralHosts(TempDirTest):
    def setUp(self):
        super().setUp()
        self.hosts = FakeHosts()
        self.addCleanup(self.hosts.teardown)
        self.hosts.setup()

    def test_sweep_across_two_hosts_equals_one_host(self):
        self.write("consume.py", CONSUMER)
        canvas = self.write("canvas.json", json.dumps(CANVAS))
        grid = self.write("grid.yaml", GRID)

        one = os.path.join(self.tmp, "one.h5")
        r = fai(canvas, grid, "-o", one, "--cpus-per-rank", "2", ranks=4)
        self.assertEqual(r.code, 0, r.out + r.err)

        two = os.path.join(self.tmp, "two.h5")
        h1, h2 = self.hosts.hosts
        cmd = ["timeout", "-k", "5", "120",
               *self.hosts.on_first_host(["mpirun", "-n", "4", "--host", f"{h1}:2,{h2}:2", "--bind-to", "none",
                                          FAI_SWEEP, canvas, grid, "-o", two, "--cpus-per-rank", "2"])]
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=self.hosts.mpi_env(), cwd=self.tmp,
                              timeout=150)
        self.assertNotIn(proc.returncode, (124, 137), "the two-host run hung; killed after 120 s")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("6 combinations: 6 succeeded, 0 failed, 0 skipped", proc.stdout)
        self.assertLess(time.monotonic() - started, 60)

        a, b = summary(one), summary(two)
        self.assertEqual(len(b), 6)
        self.assertTrue(all(s == b"ok" for s in b["status"]), b["status"])
        # The consumers ran on both hosts; each saw the whole payload.
        self.assertEqual(set(b["c.host"]), {h1.encode(), h2.encode()})
        self.assertTrue(all(n == 1000000 for n in b["c.bytes"]))
        # Same results as on one host: every column but the host and the timings.
        self.assertEqual(a.dtype.names, b.dtype.names)
        for column in a.dtype.names:
            if column in ("c.host", "wall_s"):
                continue
            np.testing.assert_array_equal(a[column], b[column], err_msg=column)  # NaN equals NaN here


if __name__ == "__main__":
    unittest.main()
