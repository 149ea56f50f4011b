/* The inventory's core: item strings in an arena, staging a file's items
 * and adding them all at once (duplicates refused within a file, merged
 * across files), lookup, filtering as a person types, and the advice for a
 * table without a stream. The readers are in inventory_read.c,
 * inventory_aws.c and export/template_inventory.c. */
#define _GNU_SOURCE /* memmem */
#include "model/inventory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/inventory_int.h"

/* Arena blocks hold this many bytes; longer strings get a block of their own. */
enum { ARENA_BLOCK = 64 * 1024 };

struct inv_arena {
    struct inv_arena *next;
    size_t used, cap;
    char data[];
};

static const char *const kind_names[INV_KIND_COUNT] = {
    [INV_TABLE] = "table", [INV_FUNCTION] = "function", [INV_QUEUE] = "queue",
    [INV_TOPIC] = "topic", [INV_BUCKET] = "bucket",     [INV_KEY] = "KMS key",
};

const char *inv_kind_name(inv_kind k)
{
    return kind_names[k];
}

void inventory_init(inventory *inv)
{
    memset(inv, 0, sizeof *inv);
}

/* Free a chain of arena blocks. */
static void arena_free(struct inv_arena *a)
{
    while (a) {
        struct inv_arena *next = a->next;
        free(a);
        a = next;
    }
}

static void cache_free(struct inv_cache *c);

void inventory_free(inventory *inv)
{
    cache_free(inv->cache);
    free(inv->items);
    for (size_t i = 0; i < inv->n_sources; i++)
        free(inv->sources[i]);
    free(inv->sources);
    arena_free(inv->arena);
    inventory_init(inv);
}

/* N bytes from INV's arena: the head block, or a new one. */
char *inv_arena_alloc(inventory *inv, size_t n)
{
    struct inv_arena *a = inv->arena;
    if (!a || a->cap - a->used < n) {
        size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        struct inv_arena *b = xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        if (a && cap != ARENA_BLOCK) { /* a big string: keep filling the head */
            b->next = a->next;
            a->next = b;
        } else {
            b->next = a;
            inv->arena = b;
        }
        a = b;
    }
    char *p = a->data + a->used;
    a->used += n;
    return p;
}

char *inventory_strdup(inventory *inv, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(inv_arena_alloc(inv, n), s, n);
}

/* Give back the arena's last allocation P of N bytes when it is on top. */
static void arena_unalloc(inventory *inv, const char *p, size_t n)
{
    struct inv_arena *a = inv->arena;
    if (a && a->used >= n && p == a->data + a->used - n)
        a->used -= n;
}

char *inv_intern(load_ctx *c, inventory *inv, char *s)
{
    if (!s)
        return NULL;
    size_t n = sizeof c->recent / sizeof c->recent[0];
    for (size_t i = 0; i < n; i++) {
        if (c->recent[i] && c->recent[i] != s && strcmp(c->recent[i], s) == 0) {
            arena_unalloc(inv, s, strlen(s) + 1);
            return c->recent[i];
        }
    }
    c->recent[c->next_recent++ % n] = s;
    return s;
}

char *inv_intern_copy(load_ctx *c, inventory *inv, const char *s)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < sizeof c->recent / sizeof c->recent[0]; i++)
        if (c->recent[i] && strcmp(c->recent[i], s) == 0)
            return c->recent[i];
    return inv_intern(c, inv, inventory_strdup(inv, s));
}

/* Move SRC's arena blocks to DST. */
static void arena_splice(inventory *dst, inventory *src)
{
    if (!src->arena)
        return;
    struct inv_arena *tail = src->arena;
    while (tail->next)
        tail = tail->next;
    /* DST's head keeps being filled; SRC's blocks go behind it */
    if (dst->arena) {
        tail->next = dst->arena->next;
        dst->arena->next = src->arena;
    } else {
        dst->arena = src->arena;
    }
    src->arena = NULL;
}

inv_item *inventory_stage_add(inventory *stage, inv_kind kind)
{
    if (stage->n == stage->cap) {
        stage->cap = stage->cap ? stage->cap * 2 : 64;
        stage->items = xrealloc(stage->items, stage->cap * sizeof *stage->items);
    }
    inv_item *it = &stage->items[stage->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

/* --- identity and merging ------------------------------------------------ */

/* What the inventory keeps beside its items: the indexes that find the
 * item a new one repeats, and the lower-case text filtering searches. */
struct inv_cache {
    inv_index ids;    /* every item by identity */
    inv_index names;  /* every item by kind and name, once needed */
    bool names_built; /* NAMES holds every item */
    size_t name_only; /* items known by name alone */
    size_t cap_sources;
    char *hay;        /* per item, lower case: "ARN\0NAME\0LOGICAL_ID\0" */
    uint32_t *start;  /* where item I's text starts in HAY; START[N] is the end */
    size_t hay_n;     /* items HAY holds; SIZE_MAX when stale */
    bool hay_too_big; /* more than 4 GB of text: search item by item */
};

/* What identifies an item: its ARN; else (template) its logical ID in its
 * file; else its name. */
typedef enum { ID_ARN, ID_LOGICAL, ID_NAME } id_kind;

static id_kind identity(const inv_item *it)
{
    return it->arn ? ID_ARN : it->logical_id ? ID_LOGICAL : ID_NAME;
}

/* The string of IT's identity. */
static const char *identity_text(const inv_item *it)
{
    id_kind k = identity(it);
    return k == ID_ARN ? it->arn : k == ID_LOGICAL ? it->logical_id : it->name;
}

/* FNV-1a over S, from H. */
static size_t hash_str(size_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* Same kind and identity (template items: also the same file). */
static bool same_identity(const inv_item *a, const inv_item *b)
{
    if (a->kind != b->kind || identity(a) != identity(b))
        return false;
    if (identity(a) == ID_LOGICAL && strcmp(a->source ? a->source : "", b->source ? b->source : ""))
        return false;
    return strcmp(identity_text(a), identity_text(b)) == 0;
}

/* Slots for N entries at most half full. */
static void index_alloc(inv_index *x, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    x->slot = xcalloc(cap, sizeof *x->slot);
    x->mask = cap - 1;
    x->count = 0;
}

void inv_index_init(inv_index *x, size_t n, bool by_name)
{
    index_alloc(x, n);
    x->by_name = by_name;
}

size_t inv_index_hash(const inv_index *x, const inv_item *it)
{
    if (x->by_name)
        return hash_str(14695981039346656037u + it->kind, it->name);
    return hash_str(14695981039346656037u + it->kind * 3u + identity(it), identity_text(it));
}

void inv_index_free(inv_index *x)
{
    free(x->slot);
    x->slot = NULL;
    x->mask = x->count = 0;
}

/* Put SLOT into X's slots. */
static void index_put(inv_index *x, inv_slot slot)
{
    size_t s = slot.hash & x->mask;
    while (x->slot[s].pos)
        s = (s + 1) & x->mask;
    x->slot[s] = slot;
    x->count++;
}

void inv_index_add_hashed(inv_index *x, size_t i, size_t hash)
{
    if ((x->count + 1) * 2 > x->mask + 1) { /* twice the slots, every entry put again */
        inv_index old = *x;
        index_alloc(x, old.mask + 1);
        for (size_t s = 0; s <= old.mask; s++)
            if (old.slot[s].pos)
                index_put(x, old.slot[s]);
        free(old.slot);
    }
    index_put(x, (inv_slot){i + 1, hash});
}

void inv_index_add(inv_index *x, const inv_item *items, size_t i)
{
    inv_index_add_hashed(x, i, inv_index_hash(x, &items[i]));
}

inv_item *inv_index_find_hashed(const inv_index *x, inv_item *items, const inv_item *probe,
                                size_t hash, bool (*ok)(const inv_item *))
{
    for (size_t s = hash & x->mask; x->slot[s].pos; s = (s + 1) & x->mask) {
        if (x->slot[s].hash != hash)
            continue;
        inv_item *o = &items[x->slot[s].pos - 1];
        if (x->by_name ? o->kind == probe->kind && strcmp(o->name, probe->name) == 0 && ok(o)
                       : same_identity(o, probe))
            return o;
    }
    return NULL;
}

inv_item *inv_index_find(const inv_index *x, inv_item *items, const inv_item *probe,
                         bool (*ok)(const inv_item *))
{
    return inv_index_find_hashed(x, items, probe, inv_index_hash(x, probe), ok);
}

/* A table or function known by name alone. */
static bool name_only(const inv_item *it)
{
    return !it->arn && !it->logical_id;
}

/* An item from an account (not from a template). */
static bool from_account(const inv_item *it)
{
    return !it->logical_id || it->arn;
}

/* A KMS alias name rather than a key id. */
static bool is_alias(const char *name)
{
    return name && strncmp(name, "alias/", 6) == 0;
}

/* Fold what S knows into E: S (the later file) wins for what it knows. */
static void merge_item(inv_item *e, const inv_item *s)
{
    if (s->arn && !e->arn) {
        e->arn = s->arn;
        e->name = s->name;
        e->account = s->account;
    }
    if (s->region)
        e->region = s->region;
    if (e->kind == INV_KEY && is_alias(s->name) && !is_alias(e->name))
        e->name = s->name;
    if (s->stream_known) {
        e->stream_known = true;
        e->stream_enabled = s->stream_enabled;
        e->stream_arn = s->stream_arn;
        e->stream_view_type = s->stream_view_type;
    }
    e->fifo = e->fifo || s->fifo;
    e->role_arn = s->role_arn ? s->role_arn : e->role_arn;
    e->runtime = s->runtime ? s->runtime : e->runtime;
    e->last_modified = s->last_modified ? s->last_modified : e->last_modified;
    e->cfn_type = s->cfn_type ? s->cfn_type : e->cfn_type;
    e->role_logical_id = s->role_logical_id ? s->role_logical_id : e->role_logical_id;
    e->source = s->source;
}

/* Where entry N (0-based, of its kind) of a file is, for duplicates:
 * "tables[4]", or "the table #5" when the section is not known. */
static char *entry_where(const char *const *sections, inv_kind kind, size_t n)
{
    if (sections && sections[kind])
        return xasprintf("%s[%zu]", sections[kind], n);
    return xasprintf("the %s #%zu", kind_names[kind], n + 1);
}

/* "SOURCE: tables[7]: table ARN is listed twice (also tables[2])". */
static int duplicate_error(const inventory *stage, size_t first, size_t second,
                           const char *const *sections, const char *source, char **err)
{
    const inv_item *it = &stage->items[second];
    size_t n1 = 0, n2 = 0;
    for (size_t i = 0; i < second; i++) {
        n1 += i < first && stage->items[i].kind == it->kind;
        n2 += stage->items[i].kind == it->kind;
    }
    char *what = str_escape_display(identity_text(it));
    char *w1 = entry_where(sections, it->kind, n1), *w2 = entry_where(sections, it->kind, n2);
    char *src = str_escape_display(source);
    *err = xasprintf("%s: %s: %s %s is listed twice (also %s)", src, w2, kind_names[it->kind], what,
                     w1);
    free(src);
    free(w2);
    free(w1);
    free(what);
    return -1;
}

/* Refuse the same resource twice within STAGE; on success *IDS indexes it. */
static int check_duplicates(const inventory *stage, const char *const *sections, const char *source,
                            inv_index *ids, char **err)
{
    inv_index_init(ids, stage->n, false);
    for (size_t i = 0; i < stage->n; i++) {
        size_t h = inv_index_hash(ids, &stage->items[i]);
        inv_item *o = inv_index_find_hashed(ids, stage->items, &stage->items[i], h, NULL);
        if (o) {
            duplicate_error(stage, (size_t)(o - stage->items), i, sections, source, err);
            inv_index_free(ids);
            return -1;
        }
        inv_index_add_hashed(ids, i, h);
    }
    return 0;
}

static struct inv_cache *cache_of(inventory *inv);

/* SOURCE as one of INV's file names. */
static const char *add_source(inventory *inv, const char *source)
{
    struct inv_cache *c = cache_of(inv);
    if (inv->n_sources == c->cap_sources) {
        c->cap_sources = c->cap_sources ? c->cap_sources * 2 : 8;
        inv->sources = xrealloc(inv->sources, c->cap_sources * sizeof *inv->sources);
    }
    inv->sources[inv->n_sources] = xstrdup(source);
    return inv->sources[inv->n_sources++];
}

/* The cache of INV, made when missing. */
static struct inv_cache *cache_of(inventory *inv)
{
    if (!inv->cache) {
        inv->cache = xcalloc(1, sizeof *inv->cache);
        inv->cache->cap_sources = inv->n_sources;
        inv->cache->hay_n = SIZE_MAX;
        inv_index_init(&inv->cache->ids, inv->n, false);
        for (size_t i = 0; i < inv->n; i++)
            inv_index_add(&inv->cache->ids, inv->items, i);
    }
    return inv->cache;
}

/* Free the cache. */
static void cache_free(struct inv_cache *c)
{
    if (!c)
        return;
    inv_index_free(&c->ids);
    inv_index_free(&c->names);
    free(c->hay);
    free(c->start);
    free(c);
}

/* Index every item by name, from now on. */
static void build_names(inventory *inv)
{
    struct inv_cache *c = inv->cache;
    inv_index_init(&c->names, inv->n, true);
    for (size_t i = 0; i < inv->n; i++)
        inv_index_add(&c->names, inv->items, i);
    c->names_built = true;
}

/* The item of INV that S (whose identity hash is H) repeats, or NULL. */
static inv_item *find_existing(inventory *inv, const inv_item *s, size_t h)
{
    struct inv_cache *c = inv->cache;
    inv_item *e = inv_index_find_hashed(&c->ids, inv->items, s, h, NULL);
    if (!e && s->arn && !s->logical_id && c->name_only) /* a table list-tables knew by name */
        e = inv_index_find(&c->names, inv->items, s, name_only);
    if (!e && name_only(s)) /* a name the inventory knows better already */
        e = inv_index_find(&c->names, inv->items, s, from_account);
    return e;
}

/* Add S (a copy) at the end of INV, or fold it into the item it repeats. */
static void merge_one(inventory *inv, const inv_item *s)
{
    struct inv_cache *c = inv->cache;
    size_t h = inv_index_hash(&c->ids, s);
    inv_item *e = find_existing(inv, s, h);
    if (e) {
        bool was_name_only = name_only(e);
        merge_item(e, s);
        if (was_name_only && !name_only(e)) {
            c->name_only--;
            inv_index_add(&c->ids, inv->items, (size_t)(e - inv->items));
        }
        return;
    }
    inv->items[inv->n] = *s;
    inv_index_add_hashed(&c->ids, inv->n, h);
    if (c->names_built)
        inv_index_add(&c->names, inv->items, inv->n);
    c->name_only += name_only(s);
    inv->n++;
}

/* Move STAGE's items into INV, merging those INV already has; IDS is the
 * stage's identity index, which INV adopts when it can. */
static void merge_stage(inventory *inv, inventory *stage, inv_index *ids)
{
    struct inv_cache *c = cache_of(inv);
    size_t stage_names = 0;
    for (size_t i = 0; i < stage->n; i++)
        stage_names += name_only(&stage->items[i]);
    if (inv->n == 0 && stage_names == 0) { /* nothing can repeat: take it all */
        free(inv->items);
        inv->items = stage->items;
        inv->n = stage->n;
        inv->cap = stage->cap;
        stage->items = NULL;
        inv_index_free(&c->ids);
        c->ids = *ids;
        if (c->names_built)
            build_names(inv);
        return;
    }
    inv_index_free(ids);
    if (!c->names_built && (stage_names || c->name_only))
        build_names(inv);
    if (inv->n + stage->n > inv->cap) {
        inv->cap = inv->n + stage->n;
        inv->items = xrealloc(inv->items, inv->cap * sizeof *inv->items);
    }
    for (size_t i = 0; i < stage->n; i++)
        merge_one(inv, &stage->items[i]);
}

int inv_commit_sections(inventory *inv, inventory *stage, const char *source,
                        const char *const *sections, char **err)
{
    for (size_t i = 0; i < stage->n; i++)
        stage->items[i].source = source;
    inv_index ids;
    int rc = check_duplicates(stage, sections, source, &ids, err);
    if (rc == 0) {
        const char *src = add_source(inv, source);
        for (size_t i = 0; i < stage->n; i++)
            stage->items[i].source = src;
        merge_stage(inv, stage, &ids);
        arena_splice(inv, stage);
        inv->cache->hay_n = SIZE_MAX;
    }
    inventory_free(stage);
    return rc;
}

int inventory_commit(inventory *inv, inventory *stage, const char *source, char **err)
{
    return inv_commit_sections(inv, stage, source, NULL, err);
}

/* --- lookup and filtering ------------------------------------------------ */

const inv_item *inventory_find(const inventory *inv, inv_kind kind, const char *name_or_arn)
{
    for (size_t i = 0; i < inv->n; i++) {
        const inv_item *it = &inv->items[i];
        if (it->kind != kind)
            continue;
        if ((it->name && strcmp(it->name, name_or_arn) == 0) ||
            (it->arn && strcmp(it->arn, name_or_arn) == 0) ||
            (it->stream_arn && strcmp(it->stream_arn, name_or_arn) == 0) ||
            (it->logical_id && strcmp(it->logical_id, name_or_arn) == 0))
            return it;
    }
    return NULL;
}

/* ASCII lower case (strncasecmp's C-locale behaviour). */
static unsigned char lower_of(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* One word of a query, lower case. */
typedef struct qword {
    const char *w;
    size_t n;
} qword;

/* Append S lower-cased, and a NUL, to B. */
static void hay_add(strbuf *b, const char *s)
{
    size_t n = strlen(s);
    sb_addn(b, s, n + 1);
    for (char *p = b->s + b->len - n - 1; *p; p++)
        *p = (char)lower_of((unsigned char)*p);
}

/* Whether NAME is the tail of ARN (then searching ARN covers it). */
static bool name_in_arn(const inv_item *it)
{
    if (!it->arn || !it->name)
        return false;
    size_t a = strlen(it->arn), n = strlen(it->name);
    return n <= a && memcmp(it->arn + a - n, it->name, n) == 0;
}

/* The lower-case text of every item, for filtering. */
static void build_hay(const inventory *inv, struct inv_cache *c)
{
    strbuf b = {0};
    free(c->start);
    c->start = xmalloc((inv->n + 1) * sizeof *c->start);
    c->hay_too_big = false;
    for (size_t i = 0; i < inv->n && !c->hay_too_big; i++) {
        const inv_item *it = &inv->items[i];
        c->start[i] = (uint32_t)b.len;
        hay_add(&b, it->arn ? it->arn : "");
        hay_add(&b, name_in_arn(it) || !it->name ? "" : it->name);
        hay_add(&b, it->logical_id ? it->logical_id : "");
        c->hay_too_big = b.len > UINT32_MAX;
    }
    c->start[inv->n] = (uint32_t)b.len;
    free(c->hay);
    c->hay = b.s;
    c->hay_n = inv->n;
}

/* Whether item I's text holds every word but word SKIP. */
static bool item_has_words(const struct inv_cache *c, size_t i, const qword *words, size_t n,
                           size_t skip)
{
    const char *text = c->hay + c->start[i];
    size_t len = c->start[i + 1] - c->start[i];
    for (size_t k = 0; k < n; k++)
        if (k != skip && !memmem(text, len, words[k].w, words[k].n))
            return false;
    return true;
}

/* The item whose text holds byte AT, from item FROM on. */
static size_t item_at(const struct inv_cache *c, size_t from, size_t n, size_t at)
{
    size_t lo = from, hi = n; /* START[lo] <= AT < START[hi] */
    for (int step = 0; step < 8 && lo + 1 < hi; step++, lo++)
        if (c->start[lo + 1] > at)
            return lo; /* most hits are a few items on */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->start[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Filtering state: the kinds wanted, where matches go. */
typedef struct filter {
    bool want[INV_KIND_COUNT];
    size_t *out, max, found;
} filter;

/* Record a match of item I. */
static void hit(filter *f, size_t i)
{
    if (f->found < f->max)
        f->out[f->found] = i;
    f->found++;
}

/* Search the whole text for the longest word, then check the others in
 * each item it is found in. */
static void filter_hay(const inventory *inv, const struct inv_cache *c, const qword *words,
                       size_t n, filter *f)
{
    size_t longest = 0;
    for (size_t k = 1; k < n; k++)
        longest = words[k].n > words[longest].n ? k : longest;
    const qword *w = &words[longest];
    size_t end = c->start[inv->n], pos = 0, item = 0;
    while (pos < end) {
        const char *p = memmem(c->hay + pos, end - pos, w->w, w->n);
        if (!p)
            break;
        item = item_at(c, item, inv->n, (size_t)(p - c->hay));
        if (f->want[inv->items[item].kind] && item_has_words(c, item, words, n, longest))
            hit(f, item);
        pos = c->start[++item];
    }
}

/* Whether HAY (not lower-cased) holds the lower-case word W. */
static bool contains_word(const char *hay, const qword *w)
{
    for (const char *p = hay; p && *p; p++) {
        size_t i = 0;
        while (i < w->n && lower_of((unsigned char)p[i]) == (unsigned char)w->w[i])
            i++;
        if (i == w->n)
            return true;
    }
    return false;
}

/* Without the text (an inventory never committed): item by item. */
static void filter_items(const inventory *inv, const qword *words, size_t n, filter *f)
{
    for (size_t i = 0; i < inv->n; i++) {
        const inv_item *it = &inv->items[i];
        bool ok = f->want[it->kind];
        for (size_t k = 0; k < n && ok; k++)
            ok = contains_word(it->arn, &words[k]) || contains_word(it->name, &words[k]) ||
                 contains_word(it->logical_id, &words[k]);
        if (ok)
            hit(f, i);
    }
}

/* Split QUERY (lower-cased into LOW) into words; returns how many. */
static size_t split_query(const char *query, char *low, qword *words)
{
    size_t n = 0, len = strlen(query);
    for (size_t i = 0; i <= len; i++)
        low[i] = (char)lower_of((unsigned char)query[i]);
    for (size_t i = 0; i < len;) {
        while (i < len && low[i] == ' ')
            i++;
        size_t start = i;
        while (i < len && low[i] != ' ')
            i++;
        if (i > start)
            words[n++] = (qword){low + start, i - start};
    }
    return n;
}

size_t inventory_filter(const inventory *inv, const inv_kind *kinds, size_t n_kinds,
                        const char *query, size_t *out, size_t max)
{
    filter f = {.out = out, .max = max};
    for (size_t k = 0; k < n_kinds; k++)
        if ((unsigned)kinds[k] < INV_KIND_COUNT)
            f.want[kinds[k]] = true;
    query = query ? query : "";
    size_t len = strlen(query);
    char *low = xmalloc(len + 1);
    qword *words = xmalloc((len / 2 + 1) * sizeof *words);
    size_t n = split_query(query, low, words);
    struct inv_cache *c = inv->cache;
    if (c && c->hay_n != inv->n)
        build_hay(inv, c);
    if (n == 0) {
        for (size_t i = 0; i < inv->n; i++)
            if (f.want[inv->items[i].kind])
                hit(&f, i);
    } else if (c && !c->hay_too_big) {
        filter_hay(inv, c, words, n, &f);
    } else {
        filter_items(inv, words, n, &f);
    }
    free(words);
    free(low);
    return f.found;
}

/* --- tables without a stream --------------------------------------------- */

bool inventory_table_usable(const inv_item *it)
{
    if (it->kind != INV_TABLE || !it->stream_known || !it->stream_enabled)
        return false;
    return it->stream_arn || (it->logical_id && !it->arn);
}

/* The advice for a table from a template. */
static char *template_hint(const inv_item *it, const char *id, const char *src)
{
    static const char spec[] = "StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}";
    if (!it->stream_known)
        return xasprintf("whether the table has a stream depends on a condition in %s; give %s "
                         "a plain %s",
                         src, id, spec);
    if (it->cfn_type && strcmp(it->cfn_type, "AWS::Serverless::SimpleTable") == 0)
        return xasprintf("the table has no stream, and an AWS::Serverless::SimpleTable cannot "
                         "have one; in %s make %s an AWS::DynamoDB::Table with %s",
                         src, id, spec);
    return xasprintf("the table has no stream; add to %s's Properties in %s: %s", id, src, spec);
}

char *inventory_enable_stream_hint(const inv_item *it)
{
    if (it->kind != INV_TABLE || inventory_table_usable(it))
        return NULL;
    char *name = str_escape_display(it->name);
    char *src = str_escape_display(it->source ? it->source : "the inventory");
    char *msg;
    if (it->logical_id && !it->arn) {
        char *id = str_escape_display(it->logical_id);
        msg = template_hint(it, id, src);
        free(id);
    } else if (!it->stream_known) {
        msg = xasprintf("the inventory knows the table only by name (from list-tables output in "
                        "%s), not its stream; add the output of aws dynamodb describe-table "
                        "--table-name %s with --inventory, or give the stream ARN",
                        src, name);
    } else {
        char *region = it->region ? str_escape_display(it->region) : NULL;
        msg = xasprintf("the table has no stream; enable one with: aws dynamodb update-table "
                        "--table-name %s%s%s --stream-specification "
                        "StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES",
                        name, region ? " --region " : "", region ? region : "");
        free(region);
    }
    free(src);
    free(name);
    return msg;
}
