"""`cmake --install` gives a package that an out-of-tree project finds with find_package(fai),
builds against, and runs under mpirun."""
import os
import subprocess
import unittest

from fai_e2e import BINARY_DIR, MPI_ENV, TempDirTest, source


class InstalledPackage(TempDirTest):
    def run_ok(self, *cmd, **kw):
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
        self.assertEqual(proc.returncode, 0, f"{cmd}:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def test_find_package_build_and_run(self):
        prefix = os.path.join(self.tmp, "prefix")
        self.run_ok("cmake", "--install", BINARY_DIR, "--prefix", prefix)
        self.assertTrue(os.path.exists(os.path.join(prefix, "bin", "fai-sweep")))
        self.assertTrue(os.path.exists(os.path.join(prefix, "include", "fai", "runtime.h")))
        build = os.path.join(self.tmp, "consumer")
        self.run_ok("cmake", "-S", source("tests", "install_consumer"), "-B", build,
                    "-DCMAKE_BUILD_TYPE=Release", f"-DCMAKE_PREFIX_PATH={prefix}")
        self.run_ok("cmake", "--build", build, "-j2")
        out = self.run_ok("mpirun", "-n", "3", "--oversubscribe", os.path.join(build, "consumer"),
                          env=dict(os.environ, **MPI_ENV))
        self.assertIn("sum of squares 55", out)


if __name__ == "__main__":
    unittest.main()
