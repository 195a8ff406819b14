/*
 * hdlc.c - HDLC framer and deframer for transparent B-channels (see hdlc.h).
 *
 * ISO/IEC 13239 §4.3: a frame is flag, fields, FCS, flag; the flag is 0111 1110.
 * §4.4 transparency: the transmitter inserts a 0 after every five contiguous 1s
 * between the flags (FCS included) and the receiver removes a 0 that follows five
 * 1s. §4.5: seven or more contiguous 1s abort a frame; fifteen or more are the
 * idle state (this framer idles with flags instead, as ISDN B-channel HDLC does).
 *
 * The FCS (§4.2.5, ITU-T V.42 §8.1.1.6, RFC 1662 §C.2) is computed LSB first over
 * the octets between the opening flag and the FCS: register preset to all ones,
 * polynomial x^16 + x^12 + x^5 + 1 (0x8408 bit-reversed), the one's complement of
 * the register is sent, low-order octet first. Running the receiver's register
 * over the frame and its FCS leaves 0xF0B8 when nothing was corrupted.
 */
#include "hdlc.h"

#include <string.h>

#define FLAG 0x7E
#define CRC_POLY_REFLECTED 0x8408
#define CRC_PRESET 0xFFFF

enum { PHASE_IDLE, PHASE_PAYLOAD, PHASE_FCS_LOW, PHASE_FCS_HIGH };

static void crc_table_init(uint16_t *table)
{
    int i;
    int bit;

    for (i = 0; i < 256; i++) {
        uint16_t r = (uint16_t) i;

        for (bit = 0; bit < 8; bit++)
            r = (r & 1) ? (uint16_t) ((r >> 1) ^ CRC_POLY_REFLECTED) : (uint16_t) (r >> 1);
        table[i] = r;
    }
}

static inline uint16_t crc_update(const uint16_t *table, uint16_t crc, uint8_t octet)
{
    return (uint16_t) ((crc >> 8) ^ table[(crc ^ octet) & 0xFF]);
}

uint16_t hdlc_fcs(const uint8_t *frame, size_t len)
{
    uint16_t crc = CRC_PRESET;
    size_t i;
    int bit;

    for (i = 0; i < len; i++) {
        crc ^= frame[i];
        for (bit = 0; bit < 8; bit++)
            crc = (crc & 1) ? (uint16_t) ((crc >> 1) ^ CRC_POLY_REFLECTED) : (uint16_t) (crc >> 1);
    }
    return (uint16_t) (crc ^ 0xFFFF);
}

/* ---- framer ---- */

void hdlc_tx_init(hdlc_tx_state_t *s)
{
    memset(s, 0, sizeof(*s));
    crc_table_init(s->crc_table);
    s->phase = PHASE_IDLE;
}

static void ring_write(hdlc_tx_state_t *s, const uint8_t *data, size_t n)
{
    size_t pos = (s->q_head + s->q_used) % HDLC_TX_QUEUE;
    size_t first = HDLC_TX_QUEUE - pos;

    if (first > n)
        first = n;
    memcpy(s->queue + pos, data, first);
    memcpy(s->queue, data + first, n - first);
    s->q_used += n;
}

static uint8_t ring_pop(hdlc_tx_state_t *s)
{
    uint8_t octet = s->queue[s->q_head];

    s->q_head = (s->q_head + 1) % HDLC_TX_QUEUE;
    s->q_used--;
    return octet;
}

int hdlc_tx_put(hdlc_tx_state_t *s, const uint8_t *frame, size_t len)
{
    uint8_t header[2];

    if (len < HDLC_MIN_PAYLOAD || len > HDLC_MAX_PAYLOAD)
        return -1;
    if (HDLC_TX_QUEUE - s->q_used < len + 2)
        return -1;
    header[0] = (uint8_t) (len & 0xFF);
    header[1] = (uint8_t) (len >> 8);
    ring_write(s, header, 2);
    ring_write(s, frame, len);
    s->q_frames++;
    return 0;
}

size_t hdlc_tx_queued(const hdlc_tx_state_t *s)
{
    return s->q_frames;
}

void hdlc_tx_abort(hdlc_tx_state_t *s)
{
    if (s->phase != PHASE_IDLE)
        s->abort_pending = 1;
}

/* append count bits of value, LSB first, as they are (flags, aborts) */
static inline void put_raw(hdlc_tx_state_t *s, uint32_t value, int count)
{
    s->bits |= value << s->nbits;
    s->nbits += count;
}

/* append one octet of the frame with zero-bit insertion */
static void put_stuffed(hdlc_tx_state_t *s, uint8_t octet)
{
    int i;

    for (i = 0; i < 8; i++) {
        uint32_t bit = (octet >> i) & 1;

        s->bits |= bit << s->nbits++;
        if (!bit) {
            s->ones = 0;
        } else if (++s->ones == 5) {
            s->nbits++;         /* the inserted 0 */
            s->ones = 0;
        }
    }
}

/* add at least one more unit (flag, abort or stuffed octet) to the bit buffer */
static void refill(hdlc_tx_state_t *s)
{
    if (s->abort_pending) {
        /* drop what is left of the frame, send eight 1s, then flags again */
        s->q_head = (s->q_head + s->left) % HDLC_TX_QUEUE;
        s->q_used -= s->left;
        s->q_frames--;
        s->left = 0;
        s->phase = PHASE_IDLE;
        s->abort_pending = 0;
        s->aborts_sent++;
        put_raw(s, 0xFF, 8);
        s->after_flag = 0;
        return;
    }
    switch (s->phase) {
    case PHASE_IDLE:
        if (s->q_frames == 0 || !s->after_flag) {
            put_raw(s, FLAG, 8);
            s->after_flag = 1;
            return;
        }
        s->left = ring_pop(s);
        s->left |= (size_t) ring_pop(s) << 8;
        s->crc = CRC_PRESET;
        s->ones = 0;
        s->after_flag = 0;
        s->phase = PHASE_PAYLOAD;
        /* the first octet goes out now */
        /* FALLTHROUGH */
    case PHASE_PAYLOAD: {
        uint8_t octet = ring_pop(s);

        s->crc = crc_update(s->crc_table, s->crc, octet);
        put_stuffed(s, octet);
        if (--s->left == 0) {
            s->crc ^= 0xFFFF;
            s->phase = PHASE_FCS_LOW;
        }
        return;
    }
    case PHASE_FCS_LOW:
        put_stuffed(s, (uint8_t) (s->crc & 0xFF));
        s->phase = PHASE_FCS_HIGH;
        return;
    default:
        put_stuffed(s, (uint8_t) (s->crc >> 8));
        put_raw(s, FLAG, 8);    /* closing flag; may open the next frame too */
        s->after_flag = 1;
        s->phase = PHASE_IDLE;
        s->q_frames--;
        s->frames_sent++;
        return;
    }
}

void hdlc_tx_process(hdlc_tx_state_t *s, uint8_t *out, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        while (s->nbits < 8)
            refill(s);
        out[i] = (uint8_t) (s->bits & 0xFF);
        s->bits >>= 8;
        s->nbits -= 8;
    }
}

/* ---- deframer ---- */

void hdlc_rx_init(hdlc_rx_state_t *s, size_t max_len)
{
    memset(s, 0, sizeof(*s));
    crc_table_init(s->crc_table);
    if (max_len > HDLC_MAX_PAYLOAD)
        max_len = HDLC_MAX_PAYLOAD;
    if (max_len < HDLC_MIN_PAYLOAD)
        max_len = HDLC_MIN_PAYLOAD;
    s->max_len = max_len;
    s->hunting = 1;
}

static void start_frame(hdlc_rx_state_t *s)
{
    s->in_data = 0;
    s->acc = 0;
    s->acc_bits = 0;
    s->len = 0;
    s->overflow = 0;
}

static inline void put_data_bit(hdlc_rx_state_t *s, uint32_t bit)
{
    s->acc |= bit << s->acc_bits;
    s->in_data = 1;
    if (++s->acc_bits == 8) {
        if (s->len < s->max_len + 2)
            s->buf[s->len++] = (uint8_t) s->acc;
        else
            s->overflow = 1;
        s->acc = 0;
        s->acc_bits = 0;
    }
}

/* A flag closed what came since the previous one. The flag's leading 0 was taken
 * as a data bit, so a whole number of octets leaves exactly that one bit pending.
 * Returns 1 for a good frame (copied to s->frame). */
static int end_frame(hdlc_rx_state_t *s)
{
    uint16_t crc = CRC_PRESET;
    size_t i;

    if (!s->in_data || (s->len == 0 && s->acc_bits == 1))
        return 0;               /* flags back to back: no frame */
    if (s->overflow) {
        s->too_long++;
        return 0;
    }
    if (s->acc_bits != 1) {
        s->misaligned++;
        return 0;
    }
    if (s->len < HDLC_MIN_PAYLOAD + 2) {
        s->too_short++;
        return 0;
    }
    for (i = 0; i < s->len; i++)
        crc = crc_update(s->crc_table, crc, s->buf[i]);
    if (crc != HDLC_FCS_GOOD) {
        s->bad_fcs++;
        return 0;
    }
    s->frame_len = s->len - 2;
    memcpy(s->frame, s->buf, s->frame_len);
    s->good++;
    return 1;
}

size_t hdlc_rx_process(hdlc_rx_state_t *s, const uint8_t *in, size_t n)
{
    size_t i;
    int b;
    int got = 0;

    s->frame_len = 0;
    for (i = 0; i < n; i++) {
        unsigned byte = in[i];

        for (b = 0; b < 8; b++, byte >>= 1) {
            if (byte & 1) {
                if (++s->ones == 7) {
                    /* abort: a frame with data in it is lost; idle ones are not */
                    if (!s->hunting && s->in_data)
                        s->aborts++;
                    s->hunting = 1;
                }
                continue;
            }
            /* a 0 ends a run of ones */
            if (s->ones == 6) {
                if (!s->hunting)
                    got |= end_frame(s);
                s->hunting = 0;
                start_frame(s);
            } else if (s->ones <= 5 && !s->hunting) {
                int k;

                for (k = 0; k < s->ones; k++)
                    put_data_bit(s, 1);
                if (s->ones < 5)
                    put_data_bit(s, 0);
                /* else: the 0 inserted after five 1s, dropped */
            }
            /* ones >= 7: aborted, hunting for a flag */
            s->ones = 0;
        }
        if (got)
            return i + 1;
    }
    return n;
}
