/* Benchmark of the inventory: load the files given (any kind, as
 * --inventory does), then filter as a person types. Prints the figures
 * against the targets of issue 4: load under 0.5 s, under 64 MB held
 * (peak RSS minus the baseline before loading), under 10 ms a keystroke.
 *
 *   inventory_bench FILE...      (bench/run.sh generates the files) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "export/template_inventory.h"

enum { REPEAT = 20 };

static const double LOAD_TARGET_S = 0.5, MEMORY_TARGET_MB = 64, KEYSTROKE_TARGET_MS = 10;

/* Seconds on the monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds of CPU this process used. */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The process's peak resident set so far, in MB. */
static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* The process's resident set now, in MB (from /proc), or -1. */
static double rss_mb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = -1, resident = -1;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = -1;
        fclose(f);
    }
    return resident < 0 ? -1 : (double)resident * 4096.0 / (1024.0 * 1024.0);
}

/* "ok" or "MISSED" for VALUE against TARGET. */
static const char *verdict(double value, double target)
{
    return value < target ? "ok" : "MISSED";
}

/* Time QUERY's prefixes through inventory_filter over KINDS; returns the worst mean in ms. */
static double bench_filter(const inventory *inv, const inv_kind *kinds, size_t n_kinds,
                           const char *label, const char *query)
{
    size_t *out = malloc((inv->n ? inv->n : 1) * sizeof *out);
    double worst = 0;
    printf("  filter %-10s", label);
    for (size_t len = 1; len <= strlen(query); len++) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%.*s", (int)len, query);
        size_t found = 0;
        double t0 = now(), c0 = cpu();
        for (int r = 0; r < REPEAT; r++)
            found = inventory_filter(inv, kinds, n_kinds, prefix, out, inv->n);
        double mean = (now() - t0) / REPEAT * 1000, mean_cpu = (cpu() - c0) / REPEAT * 1000;
        worst = mean > worst ? mean : worst;
        printf("  \"%s\" %.2f ms (cpu %.2f, %zu hits)", prefix, mean, mean_cpu, found);
    }
    printf("\n");
    free(out);
    return worst;
}

/* Count the items of each kind. */
static void print_counts(const inventory *inv)
{
    size_t n[INV_KIND_COUNT] = {0}, streams = 0;
    for (size_t i = 0; i < inv->n; i++) {
        n[inv->items[i].kind]++;
        streams += inventory_table_usable(&inv->items[i]);
    }
    printf("  items      %zu: %zu tables (%zu with a stream), %zu functions, %zu other\n", inv->n,
           n[INV_TABLE], streams, n[INV_FUNCTION], inv->n - n[INV_TABLE] - n[INV_FUNCTION]);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: inventory_bench FILE...\n");
        return 2;
    }
    inventory inv;
    inventory_init(&inv);
    double base_peak = peak_rss_mb(), base_rss = rss_mb();
    double t0 = now(), c0 = cpu();
    for (int i = 1; i < argc; i++) {
        char *err = NULL;
        if (inventory_load_path(&inv, argv[i], &err) != INV_LOAD_OK) {
            fprintf(stderr, "inventory_bench: %s\n", err);
            return 1;
        }
    }
    double load = now() - t0, load_cpu = cpu() - c0;
    double peak = peak_rss_mb() - base_peak, held = rss_mb() - base_rss;
    print_counts(&inv);
    printf("  load       %.3f s (cpu %.3f s)   (target < %.1f s: %s)\n", load, load_cpu,
           LOAD_TARGET_S, verdict(load, LOAD_TARGET_S));
    printf("  memory     %.1f MB peak, %.1f MB held after loading (target < %.0f MB: %s)\n", peak,
           held, MEMORY_TARGET_MB, verdict(peak, MEMORY_TARGET_MB));
    size_t *warm = malloc(sizeof *warm); /* the first filter builds the search text */
    double tw = now();
    inventory_filter(&inv, NULL, 0, "x", warm, 1);
    printf("  first      %.2f ms to build the search text (once after loading)\n",
           (now() - tw) * 1000);
    free(warm);
    inv_kind tables = INV_TABLE;
    inv_kind all[] = {INV_TABLE, INV_FUNCTION, INV_QUEUE, INV_TOPIC, INV_BUCKET, INV_KEY};
    double w1 = bench_filter(&inv, &tables, 1, "tables", "order");
    double w2 = bench_filter(&inv, all, 6, "everything", "order");
    double w3 = bench_filter(&inv, all, 6, "two words", "ord eu");
    double worst = w1 > w2 ? w1 : w2;
    worst = w3 > worst ? w3 : worst;
    printf("  keystroke  %.2f ms worst mean (target < %.0f ms: %s)\n", worst, KEYSTROKE_TARGET_MS,
           verdict(worst, KEYSTROKE_TARGET_MS));
    const char *last = inv.n ? inv.items[inv.n - 1].name : "";
    double t1 = now();
    const inv_item *found =
        inventory_find(&inv, inv.n ? inv.items[inv.n - 1].kind : INV_TABLE, last);
    printf("  find       %.2f ms for the last item (%s)\n", (now() - t1) * 1000,
           found ? "found" : "not found");
    inventory_free(&inv);
    return 0;
}
