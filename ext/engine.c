/*
 * engine.c - the media engine (see engine.h).
 *
 * Memory: one block of engine_size() bytes from the caller, laid out as the
 * engine header, the slot table, the conferences, their 32-bit sums, the list of
 * open slots, and four per-slot tick arrays (rx and tx bytes, decoded rx and
 * linear output). Buffers of all slots are contiguous so a driver can move a
 * whole port's worth of B-channels with one copy.
 *
 * A tick runs in passes over the open slots, so that no result depends on the
 * order of slots: (1) which slots need their received audio decoded, (2) how
 * each slot's output is made, marking the sources that must be decoded, (3)
 * decode and DTMF detection, (4) one 32-bit sum per conference, (5) each slot's
 * output (copy, transcode, silence or linear: playout, then what it hears, then
 * encode) and its recording tap.
 */
#include "engine.h"

#include <string.h>

enum { LISTEN_NONE, LISTEN_SLOT, LISTEN_CONF };
enum { PLAY_NONE, PLAY_TONE, PLAY_PROMPT, PLAY_DTMF };
enum { OUT_SILENCE, OUT_COPY, OUT_TRANSCODE, OUT_LINEAR };

#define MAX_CAPACITY (1 << 20)
#define DTMF_EVENTS_PER_TICK 8
#define ALIGN 64

typedef struct {
    uint8_t open;
    uint8_t law;
    uint8_t listen;
    uint8_t play;
    uint8_t dtmf_on;
    uint8_t need_lin;       /* this tick: decode the received audio */
    uint8_t out_mode;       /* this tick: how the output is made */
    uint8_t rec_mode;       /* 0: no tap */
    uint8_t rec_ring;
    uint16_t gain;
    int32_t source;         /* LISTEN_SLOT: the slot heard */
    int32_t conf;           /* the conference it is in, or -1 */
    int32_t conf_next;      /* next member of that conference, -1 at the end */
    int32_t active_pos;     /* where it is in the list of open slots */
    const int16_t *tx_lin;  /* this tick: the sent audio, linear */
    const int16_t *prompt;
    size_t prompt_len;
    size_t prompt_pos;
    size_t prompt_start;
    int16_t *rec_buf;
    size_t rec_len;
    size_t rec_pos;
    uint64_t dtmf_t0;       /* engine time of dtmf_rx_init() */
    dtmf_rx_state_t dtmf_rx;
    dtmf_tx_state_t dtmf_tx;
    tone_gen_state_t tone;
} slot_t;

typedef struct {
    int32_t used;
    int32_t head;           /* first member, -1 when empty */
    int32_t members;
} conf_t;

struct engine_s {
    g711_state_t g711;
    size_t capacity;
    size_t conferences;
    size_t tick;
    size_t n_active;
    uint64_t time;
    uint64_t dropped;
    uint8_t silence[2];     /* the code of 0 in each law */
    slot_t *slots;
    conf_t *confs;
    int32_t *totals;        /* conferences x tick */
    int32_t *active;        /* open slots, n_active of them */
    uint8_t *rx;            /* capacity x tick, each region */
    uint8_t *tx;
    int16_t *lin_in;
    int16_t *lin_out;
    int16_t zeros[ENGINE_MAX_TICK];
};

/* ---- layout ---- */

static size_t round_up(size_t n)
{
    return (n + ALIGN - 1) & ~(size_t) (ALIGN - 1);
}

static int bad_size(size_t capacity, size_t conferences, size_t tick)
{
    return capacity == 0 || capacity > MAX_CAPACITY || conferences > capacity
        || tick == 0 || tick > ENGINE_MAX_TICK;
}

size_t engine_size(size_t capacity, size_t conferences, size_t tick)
{
    if (bad_size(capacity, conferences, tick))
        return 0;
    return round_up(sizeof(struct engine_s))
        + round_up(capacity * sizeof(slot_t))
        + round_up(conferences * sizeof(conf_t))
        + round_up(conferences * tick * sizeof(int32_t))
        + round_up(capacity * sizeof(int32_t))
        + 2 * round_up(capacity * tick)
        + 2 * round_up(capacity * tick * sizeof(int16_t));
}

int engine_init(engine_t *e, size_t capacity, size_t conferences, size_t tick)
{
    uint8_t *p = (uint8_t *) e;
    size_t i;
    int16_t zero = 0;

    if (bad_size(capacity, conferences, tick))
        return ENGINE_EINVAL;
    memset(e, 0, engine_size(capacity, conferences, tick));
    p += round_up(sizeof(struct engine_s));
    e->slots = (slot_t *) p;
    p += round_up(capacity * sizeof(slot_t));
    e->confs = (conf_t *) p;
    p += round_up(conferences * sizeof(conf_t));
    e->totals = (int32_t *) p;
    p += round_up(conferences * tick * sizeof(int32_t));
    e->active = (int32_t *) p;
    p += round_up(capacity * sizeof(int32_t));
    e->rx = p;
    p += round_up(capacity * tick);
    e->tx = p;
    p += round_up(capacity * tick);
    e->lin_in = (int16_t *) p;
    p += round_up(capacity * tick * sizeof(int16_t));
    e->lin_out = (int16_t *) p;

    g711_init(&e->g711);
    g711_alaw_encode(&e->g711, &e->silence[ENGINE_ALAW], &zero, 1);
    g711_ulaw_encode(&e->g711, &e->silence[ENGINE_ULAW], &zero, 1);
    e->capacity = capacity;
    e->conferences = conferences;
    e->tick = tick;
    for (i = 0; i < capacity; i++) {
        e->slots[i].conf = -1;
        e->slots[i].conf_next = -1;
        e->slots[i].active_pos = -1;
    }
    for (i = 0; i < conferences; i++)
        e->confs[i].head = -1;
    return 0;
}

size_t engine_capacity(const engine_t *e)
{
    return e->capacity;
}

size_t engine_tick_samples(const engine_t *e)
{
    return e->tick;
}

size_t engine_active(const engine_t *e)
{
    return e->n_active;
}

uint64_t engine_time(const engine_t *e)
{
    return e->time;
}

uint64_t engine_events_dropped(const engine_t *e)
{
    return e->dropped;
}

/* ---- slots ---- */

/* the open slot numbered slot, or NULL with *err set */
static slot_t *get_slot(const engine_t *e, int slot, int *err)
{
    if (slot < 0 || (size_t) slot >= e->capacity) {
        *err = ENGINE_EBADSLOT;
        return NULL;
    }
    if (!e->slots[slot].open) {
        *err = ENGINE_ENOTOPEN;
        return NULL;
    }
    return &e->slots[slot];
}

int engine_is_open(const engine_t *e, int slot)
{
    return slot >= 0 && (size_t) slot < e->capacity && e->slots[slot].open;
}

int engine_open_at(engine_t *e, int slot, int law)
{
    slot_t *s;

    if (slot < 0 || (size_t) slot >= e->capacity)
        return ENGINE_EBADSLOT;
    if (law != ENGINE_ALAW && law != ENGINE_ULAW)
        return ENGINE_EINVAL;
    s = &e->slots[slot];
    if (s->open)
        return ENGINE_EINVAL;
    memset(s, 0, sizeof(*s));
    s->open = 1;
    s->law = (uint8_t) law;
    s->gain = MIX_UNITY;
    s->source = -1;
    s->conf = -1;
    s->conf_next = -1;
    s->active_pos = (int32_t) e->n_active;
    e->active[e->n_active++] = slot;
    /* the line hears silence until the first tick */
    memset(e->tx + (size_t) slot * e->tick, e->silence[law], e->tick);
    memset(e->rx + (size_t) slot * e->tick, e->silence[law], e->tick);
    return slot;
}

int engine_open(engine_t *e, int law)
{
    size_t i;

    if (law != ENGINE_ALAW && law != ENGINE_ULAW)
        return ENGINE_EINVAL;
    if (e->n_active == e->capacity)
        return ENGINE_EFULL;
    for (i = 0; i < e->capacity; i++) {
        if (!e->slots[i].open)
            return engine_open_at(e, (int) i, law);
    }
    return ENGINE_EFULL;
}

static void conf_unlink(engine_t *e, int slot)
{
    slot_t *s = &e->slots[slot];
    conf_t *c;
    int32_t *link;

    if (s->conf < 0)
        return;
    c = &e->confs[s->conf];
    for (link = &c->head; *link >= 0; link = &e->slots[*link].conf_next) {
        if (*link == slot) {
            *link = s->conf_next;
            break;
        }
    }
    if (--c->members == 0)
        c->used = 0;
    s->conf = -1;
    s->conf_next = -1;
    if (s->listen == LISTEN_CONF)
        s->listen = LISTEN_NONE;
}

int engine_stop(engine_t *e, int slot)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    conf_unlink(e, slot);
    s->listen = LISTEN_NONE;
    s->source = -1;
    s->play = PLAY_NONE;
    s->prompt = NULL;
    s->rec_mode = 0;
    s->rec_buf = NULL;
    return 0;
}

int engine_close(engine_t *e, int slot)
{
    int err = engine_stop(e, slot);
    slot_t *s;
    size_t k;
    int32_t last;

    if (err)
        return err;
    s = &e->slots[slot];
    for (k = 0; k < e->n_active; k++) {
        slot_t *other = &e->slots[e->active[k]];

        if (other->listen == LISTEN_SLOT && other->source == slot) {
            other->listen = LISTEN_NONE;
            other->source = -1;
        }
    }
    last = e->active[--e->n_active];
    e->active[s->active_pos] = last;
    e->slots[last].active_pos = s->active_pos;
    s->open = 0;
    s->active_pos = -1;
    return 0;
}

uint8_t *engine_rx(engine_t *e, int slot)
{
    if (slot < 0 || (size_t) slot >= e->capacity)
        return NULL;
    return e->rx + (size_t) slot * e->tick;
}

uint8_t *engine_tx(engine_t *e, int slot)
{
    if (slot < 0 || (size_t) slot >= e->capacity)
        return NULL;
    return e->tx + (size_t) slot * e->tick;
}

uint8_t *engine_rx_base(engine_t *e)
{
    return e->rx;
}

uint8_t *engine_tx_base(engine_t *e)
{
    return e->tx;
}

/* ---- wiring ---- */

int engine_listen(engine_t *e, int slot, int source)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    if (source >= 0 && !get_slot(e, source, &err))
        return err;
    conf_unlink(e, slot);
    s->listen = source >= 0 ? LISTEN_SLOT : LISTEN_NONE;
    s->source = source >= 0 ? source : -1;
    return 0;
}

int engine_connect(engine_t *e, int a, int b)
{
    int err = 0;

    if (!get_slot(e, a, &err) || !get_slot(e, b, &err))
        return err;
    engine_listen(e, a, b);
    engine_listen(e, b, a);
    return 0;
}

int engine_set_gain(engine_t *e, int slot, uint16_t gain)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    s->gain = gain;
    return 0;
}

int engine_conf_new(engine_t *e)
{
    size_t i;

    for (i = 0; i < e->conferences; i++) {
        if (!e->confs[i].used) {
            e->confs[i].used = 1;
            e->confs[i].head = -1;
            e->confs[i].members = 0;
            return (int) i;
        }
    }
    return ENGINE_EFULL;
}

int engine_conf_join(engine_t *e, int conf, int slot)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);
    conf_t *c;

    if (!s)
        return err;
    if (conf < 0 || (size_t) conf >= e->conferences || !e->confs[conf].used)
        return ENGINE_EBADCONF;
    if (s->conf == conf)
        return 0;
    c = &e->confs[conf];
    if (c->members >= MIX_MAX_PARTIES)
        return ENGINE_EFULL;
    conf_unlink(e, slot);
    s->conf = conf;
    s->conf_next = c->head;
    c->head = slot;
    c->members++;
    s->listen = LISTEN_CONF;
    s->source = -1;
    return 0;
}

int engine_conf_leave(engine_t *e, int slot)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    conf_unlink(e, slot);
    return 0;
}

int engine_conf_size(const engine_t *e, int conf)
{
    if (conf < 0 || (size_t) conf >= e->conferences || !e->confs[conf].used)
        return ENGINE_EBADCONF;
    return e->confs[conf].members;
}

int engine_detect_dtmf(engine_t *e, int slot, int on)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    if (on && !s->dtmf_on) {
        dtmf_rx_init(&s->dtmf_rx);
        s->dtmf_t0 = e->time;
    }
    s->dtmf_on = on ? 1 : 0;
    return 0;
}

int engine_play_tone(engine_t *e, int slot, const tone_desc_t *desc)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    if (!desc)
        return ENGINE_EINVAL;
    tone_gen_init(&s->tone, desc);
    s->play = PLAY_TONE;
    s->prompt = NULL;
    return 0;
}

int engine_play_prompt(engine_t *e, int slot, const int16_t *pcm, size_t len, size_t offset)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    if ((!pcm && len) || offset > len)
        return ENGINE_EINVAL;
    s->prompt = pcm;
    s->prompt_len = len;
    s->prompt_pos = offset;
    s->prompt_start = offset;
    s->play = PLAY_PROMPT;
    return 0;
}

int engine_send_dtmf(engine_t *e, int slot, const char *digits, int level_dbm0,
                     unsigned on_ms, unsigned off_ms)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    if (!digits)
        return ENGINE_EINVAL;
    /* a fresh generator: the state is only touched here and in the tick */
    dtmf_tx_init(&s->dtmf_tx, level_dbm0, on_ms, off_ms);
    if (dtmf_tx_put(&s->dtmf_tx, digits) < 0) {
        s->play = s->play == PLAY_DTMF ? PLAY_NONE : s->play;
        return ENGINE_EINVAL;
    }
    s->play = PLAY_DTMF;
    s->prompt = NULL;
    return 0;
}

int engine_stop_play(engine_t *e, int slot)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    s->play = PLAY_NONE;
    s->prompt = NULL;
    return 0;
}

int engine_record(engine_t *e, int slot, int16_t *buf, size_t len, int mode, int ring)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);
    size_t unit;

    if (!s)
        return err;
    if (mode < ENGINE_REC_RX || mode > ENGINE_REC_STEREO || !buf || len == 0)
        return ENGINE_EINVAL;
    /* stereo keeps rx/tx pairs whole; a ring reports halves of whole samples */
    unit = (mode == ENGINE_REC_STEREO ? 2 : 1) * (ring ? 2 : 1);
    if (len % unit)
        return ENGINE_EINVAL;
    s->rec_buf = buf;
    s->rec_len = len;
    s->rec_pos = 0;
    s->rec_ring = ring ? 1 : 0;
    s->rec_mode = (uint8_t) mode;
    return 0;
}

int64_t engine_record_stop(engine_t *e, int slot)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    s->rec_mode = 0;
    s->rec_buf = NULL;
    return (int64_t) s->rec_pos;
}

int64_t engine_record_pos(const engine_t *e, int slot)
{
    int err = 0;
    slot_t *s = get_slot(e, slot, &err);

    if (!s)
        return err;
    return (int64_t) s->rec_pos;
}

/* ---- the tick ---- */

typedef struct {
    engine_event_t *events;
    size_t max;
    size_t n;
} batch_t;

static void emit(engine_t *e, batch_t *b, int slot, uint32_t kind, int32_t value,
                 uint64_t time)
{
    engine_event_t *ev;

    if (b->n == b->max) {
        e->dropped++;
        return;
    }
    ev = &b->events[b->n++];
    ev->slot = (uint32_t) slot;
    ev->kind = kind;
    ev->value = value;
    ev->reserved = 0;
    ev->time = time;
}

static inline int takes_rx(int mode)
{
    return mode == ENGINE_REC_RX || mode == ENGINE_REC_MIX || mode == ENGINE_REC_STEREO;
}

static inline int takes_tx(int mode)
{
    return mode >= ENGINE_REC_TX;
}

static inline int16_t saturate(int32_t v)
{
    return (int16_t) (v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}

/* The slot's playout into out[0..n); returns the samples it made. When it ends
 * inside the tick, the end event goes out and the slot hears its source again. */
static size_t play(engine_t *e, batch_t *b, int slot, slot_t *s, int16_t *out, size_t n)
{
    size_t got = 0;

    switch (s->play) {
    case PLAY_TONE:
        got = tone_gen_process(&s->tone, out, n);
        if (got < n) {
            s->play = PLAY_NONE;
            emit(e, b, slot, ENGINE_EV_TONE_END, 0, e->time + got);
        }
        break;
    case PLAY_PROMPT:
        got = s->prompt_len - s->prompt_pos;
        if (got > n)
            got = n;
        memcpy(out, s->prompt + s->prompt_pos, got * sizeof(int16_t));
        s->prompt_pos += got;
        if (s->prompt_pos == s->prompt_len) {
            s->play = PLAY_NONE;
            s->prompt = NULL;
            emit(e, b, slot, ENGINE_EV_PROMPT_END, (int32_t) (s->prompt_len - s->prompt_start),
                 e->time + got);
        }
        break;
    case PLAY_DTMF:
        got = dtmf_tx_process(&s->dtmf_tx, out, n);
        if (got < n) {
            s->play = PLAY_NONE;
            emit(e, b, slot, ENGINE_EV_DTMF_END, 0, e->time + got);
        }
        break;
    default:
        break;
    }
    return got;
}

/* Write one tick of the tap into the slot's buffer; report a full buffer or,
 * for a ring, each half as it fills. */
static void record(engine_t *e, batch_t *b, int slot, slot_t *s, const int16_t *rx,
                   const int16_t *tx, size_t n)
{
    int16_t block[2 * ENGINE_MAX_TICK];
    const int16_t *src = block;
    size_t count = n;
    size_t per_sample = 1;
    size_t i;

    switch (s->rec_mode) {
    case ENGINE_REC_RX:
        src = rx;
        break;
    case ENGINE_REC_TX:
        src = tx;
        break;
    case ENGINE_REC_MIX:
        for (i = 0; i < n; i++)
            block[i] = saturate((int32_t) rx[i] + tx[i]);
        break;
    default:
        for (i = 0; i < n; i++) {
            block[2 * i] = rx[i];
            block[2 * i + 1] = tx[i];
        }
        count = 2 * n;
        per_sample = 2;
        break;
    }
    /* write up to the next point worth reporting: the end of the buffer, or for
     * a ring its middle too */
    i = 0;
    while (i < count && s->rec_mode) {
        size_t half = s->rec_len / 2;
        size_t boundary = s->rec_ring && s->rec_pos < half ? half : s->rec_len;
        size_t m = boundary - s->rec_pos;

        if (m > count - i)
            m = count - i;
        memcpy(s->rec_buf + s->rec_pos, src + i, m * sizeof(int16_t));
        s->rec_pos += m;
        i += m;
        if (s->rec_pos < boundary)
            break;
        if (!s->rec_ring) {
            emit(e, b, slot, ENGINE_EV_RECORD_FULL, (int32_t) s->rec_len,
                 e->time + i / per_sample);
            s->rec_mode = 0;
            s->rec_buf = NULL;
        } else {
            emit(e, b, slot, ENGINE_EV_RECORD_FULL, boundary == half ? 0 : (int32_t) half,
                 e->time + i / per_sample);
            if (s->rec_pos == s->rec_len)
                s->rec_pos = 0;
        }
    }
}

static void decode(const engine_t *e, int law, int16_t *out, const uint8_t *in, size_t n)
{
    if (law == ENGINE_ALAW)
        g711_alaw_decode(&e->g711, out, in, n);
    else
        g711_ulaw_decode(&e->g711, out, in, n);
}

static void encode(const engine_t *e, int law, uint8_t *out, const int16_t *in, size_t n)
{
    if (law == ENGINE_ALAW)
        g711_alaw_encode(&e->g711, out, in, n);
    else
        g711_ulaw_encode(&e->g711, out, in, n);
}

size_t engine_tick(engine_t *e, engine_event_t *events, size_t max_events)
{
    const size_t n = e->tick;
    const size_t count = e->n_active;
    batch_t b = { events, max_events, 0 };
    size_t k;

    /* 1: decode for DTMF, conferences and rx taps */
    for (k = 0; k < count; k++) {
        slot_t *s = &e->slots[e->active[k]];

        s->need_lin = s->dtmf_on || s->listen == LISTEN_CONF || takes_rx(s->rec_mode);
    }
    /* 2: how each output is made; what it hears must be decoded for linear paths */
    for (k = 0; k < count; k++) {
        slot_t *s = &e->slots[e->active[k]];
        slot_t *src = s->listen == LISTEN_SLOT ? &e->slots[s->source] : NULL;

        if (s->play != PLAY_NONE) {
            s->out_mode = OUT_LINEAR;
            if (src)
                src->need_lin = 1;
        } else if (src) {
            if (src->gain == MIX_UNITY) {
                s->out_mode = src->law == s->law ? OUT_COPY : OUT_TRANSCODE;
                if (takes_tx(s->rec_mode))
                    src->need_lin = 1;
            } else {
                s->out_mode = OUT_LINEAR;
                src->need_lin = 1;
            }
        } else {
            s->out_mode = s->listen == LISTEN_CONF ? OUT_LINEAR : OUT_SILENCE;
        }
    }
    /* 3: decode and detect */
    for (k = 0; k < count; k++) {
        int idx = e->active[k];
        slot_t *s = &e->slots[idx];
        int16_t *lin = e->lin_in + (size_t) idx * n;

        if (!s->need_lin)
            continue;
        decode(e, s->law, lin, e->rx + (size_t) idx * n, n);
        if (s->dtmf_on) {
            dtmf_event_t found[DTMF_EVENTS_PER_TICK];
            size_t got = dtmf_rx_process(&s->dtmf_rx, lin, n, found, DTMF_EVENTS_PER_TICK);
            size_t j;

            for (j = 0; j < got; j++)
                emit(e, &b, idx, ENGINE_EV_DIGIT, (int32_t) (unsigned char) found[j].digit,
                     s->dtmf_t0 + found[j].sample);
        }
    }
    /* 4: one sum per conference */
    for (k = 0; k < e->conferences; k++) {
        conf_t *c = &e->confs[k];
        int32_t *total = e->totals + k * n;
        int32_t m;

        if (!c->members)
            continue;
        mix_clear(total, n);
        for (m = c->head; m >= 0; m = e->slots[m].conf_next)
            mix_add(total, e->lin_in + (size_t) m * n, e->slots[m].gain, n);
    }
    /* 5: outputs and taps */
    for (k = 0; k < count; k++) {
        int idx = e->active[k];
        slot_t *s = &e->slots[idx];
        uint8_t *tx = e->tx + (size_t) idx * n;
        int16_t *out;
        size_t done;

        switch (s->out_mode) {
        case OUT_COPY:
            memcpy(tx, e->rx + (size_t) s->source * n, n);
            s->tx_lin = e->lin_in + (size_t) s->source * n;
            break;
        case OUT_TRANSCODE:
            if (s->law == ENGINE_ALAW)
                g711_ulaw_to_alaw(&e->g711, tx, e->rx + (size_t) s->source * n, n);
            else
                g711_alaw_to_ulaw(&e->g711, tx, e->rx + (size_t) s->source * n, n);
            s->tx_lin = e->lin_in + (size_t) s->source * n;
            break;
        case OUT_SILENCE:
            memset(tx, e->silence[s->law], n);
            s->tx_lin = e->zeros;
            break;
        default:
            out = e->lin_out + (size_t) idx * n;
            done = s->play != PLAY_NONE ? play(e, &b, idx, s, out, n) : 0;
            if (done < n) {
                if (s->listen == LISTEN_SLOT)
                    mix_scale(out + done, e->lin_in + ((size_t) s->source * n) + done,
                              e->slots[s->source].gain, n - done);
                else if (s->listen == LISTEN_CONF)
                    mix_minus(out + done, e->totals + (size_t) s->conf * n + done,
                              e->lin_in + (size_t) idx * n + done, s->gain, n - done);
                else
                    memset(out + done, 0, (n - done) * sizeof(int16_t));
            }
            encode(e, s->law, tx, out, n);
            s->tx_lin = out;
            break;
        }
        if (s->rec_mode)
            record(e, &b, idx, s, e->lin_in + (size_t) idx * n, s->tx_lin, n);
    }
    e->time += n;
    return b.n;
}
