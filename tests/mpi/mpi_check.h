// CHECK for the MPI test programs (no GoogleTest: only rank 0 checks, every rank must exit):
// a failed check prints where and what, and counts in `check_failures`.
#ifndef FAI_TESTS_MPI_MPI_CHECK_H_
#define FAI_TESTS_MPI_MPI_CHECK_H_

#include <iostream>

inline int check_failures = 0;

#define CHECK(cond)                                                                 \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::cerr << __FILE__ << ":" << __LINE__ << ": check failed: " #cond << "\n"; \
      ++check_failures;                                                             \
    }                                                                               \
  } while (0)

#endif  // FAI_TESTS_MPI_MPI_CHECK_H_
