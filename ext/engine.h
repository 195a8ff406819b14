/*
 * engine.h - the media engine: every active B-channel in one call per tick.
 *
 * A table of channel slots, sized at init in memory the caller allocates once
 * (engine_size() bytes; nothing is allocated afterwards). Each slot is one
 * B-channel: a receive buffer (G.711 bytes from the line) and a transmit buffer
 * (bytes to the line) of one tick each, which the port driver reads and writes
 * in place; its law (A-law or mu-law); and its wiring:
 *
 *   what it hears   silence, another slot's audio (a bridge is two slots
 *                   hearing each other), or a conference (mix-minus);
 *   what it plays   a tone, a prompt or DTMF digits: while one plays, the
 *                   slot hears it instead, then goes back to what it heard;
 *   DTMF detection  on or off;
 *   a recording tap its received and/or sent audio, linear, into a caller's
 *                   buffer (filled once, or a ring reported by halves);
 *   a talk gain     how loud the others hear it (Q12, 4096 = 0 dB).
 *
 * engine_tick() processes every active slot: decode -> DTMF detection ->
 * conference sums -> tone/prompt/DTMF playout and bridges -> recording taps ->
 * encode, and returns the tick's events in one batch. A slot hearing another of
 * the same law at unity gain gets its bytes copied unchanged (so an A-law bridge
 * is bit-exact); the other paths go through linear audio.
 *
 * Times are in samples since engine_init() (8000 per second); a tick is 1..160
 * samples (80 = 10 ms, 160 = 20 ms). Pointers given for prompts, tones and
 * recordings must stay valid until their end event or until the slot is
 * stopped; the Python face (firmware/media/engine.py) keeps them alive.
 *
 * Functions returning int give 0 (or a slot/conference number) on success and
 * a negative ENGINE_E* code on error, with nothing changed.
 *
 * The block between the cffi markers is fed verbatim to cffi's cdef(); the
 * engine itself is opaque there (Python holds it as bytes of engine_size()).
 */
#ifndef RINGBACK_ENGINE_H
#define RINGBACK_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "dtmf.h"
#include "g711.h"
#include "mix.h"
#include "tone.h"

#define ENGINE_MAX_TICK 160

/* cffi:begin */
typedef struct engine_s engine_t;

enum {
    ENGINE_ALAW = 0,
    ENGINE_ULAW = 1
};

/* event kinds */
enum {
    ENGINE_EV_DIGIT = 1,        /* value: the digit's character; time: where it began */
    ENGINE_EV_PROMPT_END = 2,   /* value: samples played; time: the end */
    ENGINE_EV_TONE_END = 3,     /* value: 0; time: the end */
    ENGINE_EV_DTMF_END = 4,     /* value: 0; time: the end of the last digit sent */
    ENGINE_EV_RECORD_FULL = 5   /* value: samples in the buffer (once) or offset of the
                                   half just filled (ring); time: when it filled */
};

/* what a recording tap takes */
enum {
    ENGINE_REC_RX = 1,          /* received audio */
    ENGINE_REC_TX = 2,          /* sent audio */
    ENGINE_REC_MIX = 3,         /* both, summed (saturated) */
    ENGINE_REC_STEREO = 4       /* both, interleaved: rx, tx, rx, tx, ... */
};

/* errors */
enum {
    ENGINE_EBADSLOT = -1,       /* no such slot number */
    ENGINE_ENOTOPEN = -2,       /* the slot is not open */
    ENGINE_EFULL = -3,          /* no free slot or conference */
    ENGINE_EINVAL = -4,         /* a bad argument */
    ENGINE_EBADCONF = -5        /* no such conference */
};

typedef struct {
    uint32_t slot;
    uint32_t kind;
    int32_t value;
    uint32_t reserved;
    uint64_t time;
} engine_event_t;

/* bytes for an engine of capacity slots, conferences conferences, tick samples */
size_t engine_size(size_t capacity, size_t conferences, size_t tick);
/* mem: engine_size() bytes, 16-byte aligned. 0, or ENGINE_EINVAL for a bad size. */
int engine_init(engine_t *e, size_t capacity, size_t conferences, size_t tick);

size_t engine_capacity(const engine_t *e);
size_t engine_tick_samples(const engine_t *e);
size_t engine_active(const engine_t *e);
uint64_t engine_time(const engine_t *e);
uint64_t engine_events_dropped(const engine_t *e);

/* a free slot, open and hearing silence, or ENGINE_EFULL */
int engine_open(engine_t *e, int law);
/* opens this slot (a driver with fixed slot numbers); ENGINE_EINVAL if open */
int engine_open_at(engine_t *e, int slot, int law);
/* stops everything and frees the slot; whoever heard it hears silence */
int engine_close(engine_t *e, int slot);
/* back to silence: playout, listening, conference and recording end without
 * events; DTMF detection and gain stay */
int engine_stop(engine_t *e, int slot);
int engine_is_open(const engine_t *e, int slot);

/* the slot's tick of line bytes, in place (NULL for a bad slot number) */
uint8_t *engine_rx(engine_t *e, int slot);
uint8_t *engine_tx(engine_t *e, int slot);
/* all slots' buffers: slot i at offset i * tick */
uint8_t *engine_rx_base(engine_t *e);
uint8_t *engine_tx_base(engine_t *e);

/* slot hears source (source == slot: loopback; source < 0: silence) */
int engine_listen(engine_t *e, int slot, int source);
/* a bridge: a hears b and b hears a */
int engine_connect(engine_t *e, int a, int b);
int engine_set_gain(engine_t *e, int slot, uint16_t gain);

/* a new empty conference, or ENGINE_EFULL; it is freed when its last member leaves */
int engine_conf_new(engine_t *e);
/* slot joins conf: it talks into it and hears everyone else in it */
int engine_conf_join(engine_t *e, int conf, int slot);
/* slot leaves its conference (if any) and hears silence */
int engine_conf_leave(engine_t *e, int slot);
/* members of conf, or ENGINE_EBADCONF */
int engine_conf_size(const engine_t *e, int conf);

int engine_detect_dtmf(engine_t *e, int slot, int on);
int engine_play_tone(engine_t *e, int slot, const tone_desc_t *desc);
int engine_play_prompt(engine_t *e, int slot, const int16_t *pcm, size_t len, size_t offset);
int engine_send_dtmf(engine_t *e, int slot, const char *digits, int level_dbm0,
                     unsigned on_ms, unsigned off_ms);
/* ends a tone, prompt or DTMF playout without an event */
int engine_stop_play(engine_t *e, int slot);

/* buf: len int16_t (for ENGINE_REC_STEREO two per sample); ring != 0 wraps */
int engine_record(engine_t *e, int slot, int16_t *buf, size_t len, int mode, int ring);
/* ends the tap; returns int16_t written so far (ring: the position) or an error */
int64_t engine_record_stop(engine_t *e, int slot);
int64_t engine_record_pos(const engine_t *e, int slot);

/* one tick of every open slot; up to max_events events (the rest are counted
 * in engine_events_dropped()); returns the number of events */
size_t engine_tick(engine_t *e, engine_event_t *events, size_t max_events);
/* cffi:end */

#endif /* RINGBACK_ENGINE_H */
