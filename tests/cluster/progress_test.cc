// Progress (src/io/progress.h): rendering and redraw timing with a fake clock, no sleeps.
#include "io/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace fai {
namespace {

struct FakeClock {
  double now = 1000;
  Progress::Clock clock() {
    return [this] { return now; };
  }
};

ProgressCounts Counts(size_t total, size_t ok, size_t failed, size_t running, double busy = 0,
                      double cpus = 0) {
  ProgressCounts c;
  c.total = total;
  c.succeeded = ok;
  c.failed = failed;
  c.running = running;
  c.cpus_busy = busy;
  c.cpus_total = cpus;
  return c;
}

TEST(Progress, ResolvesModes) {
  ProgressMode m = ProgressMode::kNone;
  EXPECT_TRUE(ResolveProgressMode("auto", false, true, &m));
  EXPECT_EQ(m, ProgressMode::kBar);
  EXPECT_TRUE(ResolveProgressMode("", false, false, &m));
  EXPECT_EQ(m, ProgressMode::kPlain);
  EXPECT_TRUE(ResolveProgressMode("plain", false, true, &m));
  EXPECT_EQ(m, ProgressMode::kPlain);
  EXPECT_TRUE(ResolveProgressMode("bar", false, false, &m));
  EXPECT_EQ(m, ProgressMode::kBar);
  EXPECT_TRUE(ResolveProgressMode("none", false, true, &m));
  EXPECT_EQ(m, ProgressMode::kNone);
  EXPECT_TRUE(ResolveProgressMode("bar", true, true, &m));  // --quiet wins
  EXPECT_EQ(m, ProgressMode::kNone);
  EXPECT_FALSE(ResolveProgressMode("fancy", false, true, &m));
}

TEST(Progress, FormatsClocks) {
  EXPECT_EQ(FormatClock(0), "0:00");
  EXPECT_EQ(FormatClock(23.4), "0:23");
  EXPECT_EQ(FormatClock(725), "12:05");
  EXPECT_EQ(FormatClock(3723), "1:02:03");
  EXPECT_EQ(FormatClock(-5), "0:00");
}

TEST(Progress, RendersTheBar) {
  Progress p(ProgressOptions{.mode = ProgressMode::kBar}, nullptr);
  // 45 of 120 ended in 14 s: 3.2/s, 75 left: 23 s.
  ProgressCounts c = Counts(120, 44, 1, 4, 10.5, 12);
  EXPECT_EQ(p.RenderBar(c, 14),
            "[#######.............]  45/120  running 4  failed 1  3.2/s  ETA 0:23  cpu 88%");
  c.skipped = 2;
  EXPECT_EQ(
      p.RenderBar(c, 14),
      "[#######.............]  47/120  running 4  failed 1  skipped 2  3.4/s  ETA 0:22  cpu 88%");
  // Before anything ended: no rate, no ETA; no CPU figure without capacity.
  EXPECT_EQ(p.RenderBar(Counts(10, 0, 0, 2), 3),
            "[....................]  0/10  running 2  failed 0  -/s  ETA ?");
  // Slow sweeps give a rate per minute; a finished one a full bar.
  EXPECT_EQ(p.RenderBar(Counts(10, 1, 0, 1), 30),
            "[##..................]  1/10  running 1  failed 0  2.0/min  ETA 4:30");
  EXPECT_EQ(p.RenderBar(Counts(10, 10, 0, 0, 0, 2), 5),
            "[####################]  10/10  running 0  failed 0  2.0/s  ETA 0:00  cpu 0%");
}

TEST(Progress, RendersPlainLines) {
  Progress p(ProgressOptions{}, nullptr);
  EXPECT_EQ(p.RenderPlain(Counts(120, 44, 1, 4, 10.5, 12), 14),
            "progress: 45/120 tasks ended (37.5%): 44 ok, 1 failed, 0 skipped; 4 running; 3.2/s; "
            "ETA 0:23; 88% of 12 "
            "CPUs busy; 0:14 elapsed");
  EXPECT_EQ(p.RenderPlain(Counts(0, 0, 0, 0), 0),
            "progress: 0/0 tasks ended (100.0%): 0 ok, 0 failed, 0 skipped; 0 running; -/s; ETA "
            "0:00; 0:00 elapsed");
}

TEST(Progress, BarRedrawsAtMostTenTimesASecond) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(ProgressOptions{.mode = ProgressMode::kBar, .bar_width = 4}, &out, clock.clock());
  p.Start(Counts(4, 0, 0, 0));
  EXPECT_EQ(out.str(), "");  // nothing before the first update
  p.Update(Counts(4, 0, 0, 2));
  EXPECT_EQ(out.str(), "\r[....]  0/4  running 2  failed 0  -/s  ETA ?");
  clock.now += 0.0625;
  p.Update(Counts(4, 1, 0, 2));  // too soon: not drawn
  p.Tick();
  EXPECT_EQ(out.str(), "\r[....]  0/4  running 2  failed 0  -/s  ETA ?");
  clock.now += 0.0625;
  p.Tick();  // over 0.1 s after the first frame: the newest counts appear
  EXPECT_EQ(out.str(),
            "\r[....]  0/4  running 2  failed 0  -/s  ETA ?"
            "\r[#...]  1/4  running 2  failed 0  8.0/s  ETA 0:00");
  out.str("");
  clock.now += 1;
  p.Update(Counts(4, 4, 0, 0));
  EXPECT_EQ(out.str(), "\r[####]  4/4  running 0  failed 0  3.6/s  ETA 0:00");
  out.str("");
  p.Finish();  // the final frame ends the line
  EXPECT_EQ(out.str(), "\r[####]  4/4  running 0  failed 0  3.6/s  ETA 0:00\n");
  out.str("");
  p.Finish();
  p.Update(Counts(4, 4, 0, 0));
  EXPECT_EQ(out.str(), "");  // nothing after Finish
}

TEST(Progress, BarPadsOverALongerLine) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(ProgressOptions{.mode = ProgressMode::kBar, .bar_width = 2}, &out, clock.clock());
  p.Start(Counts(10, 0, 0, 0));
  p.Update(Counts(10, 0, 0, 10));
  out.str("");
  clock.now += 1;
  p.Update(Counts(10, 0, 0, 1));
  const std::string line = "[..]  0/10  running 1  failed 0  -/s  ETA ?";
  EXPECT_EQ(out.str(), "\r" + line + " ");  // "running 10" was one character longer
}

TEST(Progress, PlainLineEveryInterval) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(ProgressOptions{.mode = ProgressMode::kPlain, .plain_interval_s = 10}, &out,
             clock.clock());
  p.Start(Counts(100, 0, 0, 0, 0, 4));
  clock.now += 5;
  p.Update(Counts(100, 10, 0, 4, 4, 4));
  EXPECT_EQ(out.str(), "");  // not yet 10 s
  clock.now += 5;
  p.Tick();
  EXPECT_EQ(out.str(),
            "progress: 10/100 tasks ended (10.0%): 10 ok, 0 failed, 0 skipped; 4 running; 1.0/s; "
            "ETA 1:30; 100% of 4 "
            "CPUs busy; 0:10 elapsed\n");
  out.str("");
  clock.now += 9;
  p.Update(Counts(100, 30, 2, 3, 3, 4));
  EXPECT_EQ(out.str(), "");
  clock.now += 1;
  p.Update(Counts(100, 38, 2, 3, 3, 4));
  EXPECT_EQ(out.str(),
            "progress: 40/100 tasks ended (40.0%): 38 ok, 2 failed, 0 skipped; 3 running; 2.0/s; "
            "ETA 0:30; 75% of 4 "
            "CPUs busy; 0:20 elapsed\n");
  out.str("");
  clock.now += 2;
  p.Update(Counts(100, 98, 2, 0, 0, 4));
  p.Finish();  // the last line comes whatever the interval
  EXPECT_EQ(out.str(),
            "progress: 100/100 tasks ended (100.0%): 98 ok, 2 failed, 0 skipped; 0 running; 4.5/s; "
            "ETA 0:00; 0% of 4 "
            "CPUs busy; 0:22 elapsed\n");
}

TEST(Progress, NoneDrawsNothing) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(ProgressOptions{.mode = ProgressMode::kNone}, &out, clock.clock());
  p.Start(Counts(3, 0, 0, 0));
  clock.now += 100;
  p.Update(Counts(3, 3, 0, 0));
  p.Finish();
  EXPECT_EQ(out.str(), "");
}

TEST(Progress, TickerStopsPromptly) {
  std::ostringstream out;
  Progress p(ProgressOptions{.mode = ProgressMode::kNone}, &out);
  p.Start(Counts(1, 0, 0, 0));
  { ProgressTicker ticker(&p, 3600); }  // destroyed at once, not after an hour
  SUCCEED();
}

}  // namespace
}  // namespace fai
