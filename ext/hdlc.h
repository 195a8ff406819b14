/*
 * hdlc.h - HDLC framing for transparent B-channels (ISO/IEC 13239).
 *
 * For data calls where the hardware passes the 64 kbit/s B-channel through as
 * bytes: the framer turns frames into a continuous byte stream (flags, zero-bit
 * insertion, CRC-16 FCS, idle flags) and the deframer turns the stream back into
 * checked frames. Bits go on the line least significant bit first, the order
 * of HDLC on ISDN B-channels: bit 0 of each stream byte is the earliest bit.
 *
 * Frames given to the framer and taken from the deframer are the octets between
 * the flags without the FCS (address, control, information: at least 2 octets,
 * ISO/IEC 13239 needs 32 bits between flags with the FCS, at most
 * HDLC_MAX_PAYLOAD).
 *
 * The FCS is the 16-bit one of ISO/IEC 13239 = ITU-T V.42 = RFC 1662 (CRC-16/X.25:
 * x^16 + x^12 + x^5 + 1, bit-reflected, preset 0xFFFF, sent inverted, low octet
 * first); a good frame leaves the residue 0xF0B8 in the receiver's register.
 *
 * The deframer drops and counts: frames with a bad FCS, too short, too long, not
 * a whole number of octets, and frames cut by an abort (seven or more ones). It
 * hunts for the next flag after garbage, so it resynchronises by itself.
 *
 * The block between the cffi markers is fed verbatim to cffi's cdef().
 */
#ifndef RINGBACK_HDLC_H
#define RINGBACK_HDLC_H

#include <stddef.h>
#include <stdint.h>

#define HDLC_MAX_PAYLOAD 2048
#define HDLC_MIN_PAYLOAD 2
#define HDLC_TX_QUEUE 8192
#define HDLC_FCS_GOOD 0xF0B8

/* cffi:begin */
typedef struct {
    uint16_t crc_table[256];
    /* frames waiting: each a 16-bit little-endian length, then its octets (a ring) */
    uint8_t queue[8192];
    size_t q_head;          /* next octet to send */
    size_t q_used;          /* octets in the ring */
    size_t q_frames;        /* frames in the ring, the one being sent included */
    /* the frame being sent */
    size_t left;            /* payload octets still to send */
    uint16_t crc;
    int phase;              /* 0 idle, 1 payload, 2 FCS low, 3 FCS high */
    int ones;               /* consecutive ones sent inside the frame (stuffing) */
    int after_flag;         /* the last thing sent was a flag */
    int abort_pending;
    /* bits ready to go out, LSB first */
    uint32_t bits;
    int nbits;
    uint32_t frames_sent;
    uint32_t aborts_sent;
} hdlc_tx_state_t;

typedef struct {
    uint16_t crc_table[256];
    size_t max_len;         /* payload limit set at init, <= 2048 */
    int hunting;            /* no flag seen since start, abort or overflow */
    int ones;               /* consecutive ones received */
    int in_data;            /* data bits seen since the last flag */
    uint32_t acc;           /* data bits of the partial octet */
    int acc_bits;
    size_t len;             /* octets collected (payload and FCS) */
    int overflow;
    uint8_t buf[2050];
    /* the last good frame (payload only), valid after hdlc_rx_process said so */
    uint8_t frame[2048];
    size_t frame_len;
    /* counters */
    uint32_t good;
    uint32_t bad_fcs;
    uint32_t too_short;
    uint32_t too_long;
    uint32_t aborts;
    uint32_t misaligned;
} hdlc_rx_state_t;

/* The FCS of a frame as it goes on the line (the inverted CRC; its low octet
 * is sent first), computed bit by bit from the polynomial. */
uint16_t hdlc_fcs(const uint8_t *frame, size_t len);

void hdlc_tx_init(hdlc_tx_state_t *s);
/* Queue a frame. 0 when queued; -1 when its length is out of range or the queue
 * has no room for it now. */
int hdlc_tx_put(hdlc_tx_state_t *s, const uint8_t *frame, size_t len);
/* Cut the frame being sent with an abort sequence; the queue stays. */
void hdlc_tx_abort(hdlc_tx_state_t *s);
/* n line bytes: queued frames, flags between and after them. */
void hdlc_tx_process(hdlc_tx_state_t *s, uint8_t *out, size_t n);
/* frames not yet completely sent */
size_t hdlc_tx_queued(const hdlc_tx_state_t *s);

/* max_len: longest payload accepted, 2..2048 (larger values are clipped) */
void hdlc_rx_init(hdlc_rx_state_t *s, size_t max_len);
/* Deframe line bytes. Stops after the byte that completed a good frame and
 * returns the bytes used; the frame is then in s->frame[0 .. s->frame_len).
 * s->frame_len is 0 when no frame completed (all n bytes were used). */
size_t hdlc_rx_process(hdlc_rx_state_t *s, const uint8_t *in, size_t n);
/* cffi:end */

#endif /* RINGBACK_HDLC_H */
