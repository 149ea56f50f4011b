/* The presets, as data. "safe" is the reference's safer start: with AWS's
 * defaults (infinite retries and record age, no destination) one bad
 * record can block its shard until it leaves the stream, a day later, and
 * is then lost. Each value below says why it was chosen; the option names
 * and ranges stay in the option table. */
#include "model/preset.h"

#include <stdlib.h>
#include <string.h>

#include "model/pick.h"
#include "model/util.h"

static const preset_setting safe_settings[] = {
    {OPT_BISECT_BATCH_ON_ERROR, "true",
     "a failing batch is split in halves and retried, so one bad record is isolated instead of "
     "holding back the whole batch"},
    {OPT_RETRY_ATTEMPTS, "3",
     "three retries (with bisect's splits on top) ride out a passing error such as a throttle or "
     "a timeout, yet a record that always fails stops blocking its shard within minutes, not a "
     "day; it then goes to the on-failure destination"},
    {OPT_MAX_RECORD_AGE, "1h",
     "records more than an hour old go to the on-failure destination instead of being retried: "
     "the shard's lag stays under about an hour, and records are given up well within the "
     "stream's 24-hour retention, never lost to it"},
    {OPT_REPORT_BATCH_ITEM_FAILURES, "true",
     "a function that returns batchItemFailures gets only the failed record and those after it "
     "retried, not the whole batch; it changes nothing for a function that does not"},
};

static const preset presets[] = {
    {"safe", "A safe start",
     "bisect on, 3 retries, records at most 1 hour old, partial batch responses, and an "
     "on-failure destination you pick: no record blocks a shard for long, none is lost",
     safe_settings, sizeof safe_settings / sizeof safe_settings[0], OPT_ON_FAILURE,
     "an SQS queue, SNS topic or S3 bucket for the records it gives up on (without one they are "
     "lost)"},
};

enum { N_PRESETS = sizeof presets / sizeof presets[0] };

const preset *preset_list(size_t *n)
{
    *n = N_PRESETS;
    return presets;
}

const preset *preset_find(const char *name)
{
    for (size_t i = 0; name && i < N_PRESETS; i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

int preset_apply(const preset *p, mapping *m, const bool *keep, char **err)
{
    for (size_t i = 0; i < p->n_settings; i++) {
        const preset_setting *s = &p->settings[i];
        if (keep && keep[s->opt])
            continue;
        char *perr = NULL;
        if (mapping_set(m, s->opt, s->value, &perr) < 0) {
            *err = xasprintf("preset %s: --%s %s: %s", p->name, opt_get(s->opt)->name, s->value,
                             perr ? perr : "invalid");
            free(perr);
            return -1;
        }
    }
    return 0;
}

opt_id preset_missing(const preset *p, const mapping *m)
{
    if (p->must_pick >= OPT_COUNT)
        return OPT_COUNT;
    if (mapping_is_set(m, p->must_pick) || mapping_ref(m, p->must_pick))
        return OPT_COUNT;
    return p->must_pick;
}

char *preset_missing_text(const preset *p)
{
    const opt_def *d = opt_get(p->must_pick);
    return xasprintf("--preset %s needs --%s %s: %s", p->name, d->name, d->metavar, p->pick_why);
}
