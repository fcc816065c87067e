// A program that a command task starts and that is itself an MPI program: it must start as a job
// of its own (a singleton), not as a rank of the sweep. It writes its world size to FAI_OUTPUT.
#include <mpi.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (MPI_Init(&argc, &argv) != MPI_SUCCESS) return 3;
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Finalize();
  const char* output = std::getenv("FAI_OUTPUT");
  if (output == nullptr) return 4;
  std::FILE* f = std::fopen(output, "w");
  if (f == nullptr) return 5;
  std::fprintf(f, "{\"world_size\": %d}\n", size);
  return std::fclose(f) == 0 ? 0 : 6;
}
