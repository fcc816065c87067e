#include "io/summary_query.h"

#include <gtest/gtest.h>

namespace fai {
namespace {

SummaryTable Table() {
  SummaryTable t;
  t.AddColumn("combo", {"a", "b", "c", "d"});
  t.AddColumn("status", {"ok", "ok", "failed", "ok"});
  t.AddColumn("m12.iterations", {4, 9, 4, 9});
  t.AddColumn("m15.sharpe", {0.5, 1.5, Value(), -0.25});
  return t;
}

std::vector<size_t> Select(const SummaryTable& t, const std::string& where,
                           const std::string& sort = "", bool descending = true, size_t top = 0) {
  RowQuery q;
  if (!where.empty()) {
    auto c = ParseWhere(where, t);
    EXPECT_TRUE(c.ok()) << c.status().message();
    q.where = *c;
  }
  q.sort_column = sort.empty() ? -1 : t.Find(sort);
  q.descending = descending;
  q.top = top;
  return SelectRows(t, q);
}

TEST(SummaryQuery, WhereFilters) {
  const SummaryTable t = Table();
  EXPECT_EQ(Select(t, "m12.iterations>4"), (std::vector<size_t>{1, 3}));
  EXPECT_EQ(Select(t, "m12.iterations >= 4 and status==ok"), (std::vector<size_t>{0, 1, 3}));
  EXPECT_EQ(Select(t, "status != ok"), (std::vector<size_t>{2}));
  EXPECT_EQ(Select(t, "m15.sharpe<1 && m12.iterations=9"), (std::vector<size_t>{3}));
  EXPECT_EQ(Select(t, "combo == 'b'"), (std::vector<size_t>{1}));
  // A missing cell satisfies only !=.
  EXPECT_EQ(Select(t, "m15.sharpe > -10"), (std::vector<size_t>{0, 1, 3}));
  EXPECT_EQ(Select(t, "m15.sharpe != 0.5"), (std::vector<size_t>{1, 2, 3}));
}

TEST(SummaryQuery, SortAndTop) {
  const SummaryTable t = Table();
  EXPECT_EQ(Select(t, "", "m15.sharpe"), (std::vector<size_t>{1, 0, 3, 2}));
  EXPECT_EQ(Select(t, "", "m15.sharpe", false), (std::vector<size_t>{3, 0, 1, 2}));
  EXPECT_EQ(Select(t, "", "m15.sharpe", true, 2), (std::vector<size_t>{1, 0}));
  EXPECT_EQ(Select(t, "status==ok", "combo", false, 0), (std::vector<size_t>{0, 1, 3}));
}

TEST(SummaryQuery, MalformedAndUnknownAreClearErrors) {
  const SummaryTable t = Table();
  for (const std::string bad :
       {"", "m12.iterations>", ">4", "m12.iterations 4", "m12.iterations=>4",
        "m12.iterations>4 and", "m12.iterations>4 or status==ok", "combo=='x",
        "m12.iterations>four"}) {
    auto c = ParseWhere(bad, t);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidInput);
    EXPECT_NE(c.status().message().find("--where"), std::string::npos) << c.status().message();
  }
  auto c = ParseWhere("m12.iteration>4", t);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("did you mean \"m12.iterations\""), std::string::npos)
      << c.status().message();
  auto col = FindSummaryColumn(t, "m15.sharp", "--sort");
  ASSERT_FALSE(col.ok());
  EXPECT_NE(col.status().message().find("--sort: no column \"m15.sharp\""), std::string::npos);
}

}  // namespace
}  // namespace fai
