/*
 * pri_bench: libpri <-> libpri full call cycles, in one process, as the reference for
 * our stack's benchmark. Built as a shared library; tests/bench calls
 *
 *   int pri_bench_setup(int ptmp)    both ends up (DCHAN_UP), 0 on success
 *   int pri_bench_cycles(int n)      n cycles, returns how many completed
 *
 * One cycle: the CPE dials, the network answers at once (pri_proceeding, pri_answer),
 * the CPE hangs up on ANSWER (cause 16); DISCONNECT, RELEASE, RELEASE COMPLETE follow.
 * The two ends talk over a socketpair(AF_UNIX, SOCK_SEQPACKET); nothing sleeps.
 */
#include <libpri.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

static struct pri *net, *cpe;
static int fds[2], up, cleared;

static int io_read(struct pri *p, void *buf, int len) { return read(pri_fd(p), buf, len); }
static int io_write(struct pri *p, void *buf, int len) { return write(pri_fd(p), buf, len); }
static void quiet(struct pri *p, char *s) { (void)p; (void)s; }

static int trace;

static void handle(struct pri *p, pri_event *e)
{
	if (trace)
		fprintf(stderr, "%s event %d\n", p == cpe ? "cpe" : "net", e->e);
	switch (e->e) {
	case PRI_EVENT_DCHAN_UP: up++; break;
	case PRI_EVENT_RING:
		pri_proceeding(p, e->ring.call, 1, 0); /* B1: the network picks the channel */
		pri_answer(p, e->ring.call, 1, 0);
		break;
	case PRI_EVENT_ANSWER: pri_hangup(p, e->answer.call, 16); break;
	case PRI_EVENT_HANGUP_REQ: pri_hangup(p, e->hangup.call, e->hangup.cause); break;
	case PRI_EVENT_HANGUP:
		pri_hangup(p, e->hangup.call, e->hangup.cause);
		if (p == cpe) cleared++;
		break;
	case PRI_EVENT_HANGUP_ACK: if (p == cpe) cleared++; break;
	default: break;
	}
}

/* Deliver everything pending, both ways, and run due timers; 1 if anything moved. */
static int pump(void)
{
	struct pri *ends[2] = { net, cpe };
	int moved = 0;
	for (int i = 0; i < 2; i++) {
		pri_event *e;
		char peek;
		while (recv(pri_fd(ends[i]), &peek, 1, MSG_PEEK | MSG_DONTWAIT) > 0) {
			moved = 1;
			if ((e = pri_check_event(ends[i])))
				handle(ends[i], e);
		}
		while ((e = pri_schedule_run(ends[i]))) {
			moved = 1;
			handle(ends[i], e);
		}
	}
	return moved;
}

int pri_bench_setup(int ptmp)
{
	pri_set_message(quiet);
	pri_set_error(quiet);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds))
		return -1;
	for (int i = 0; i < 2; i++)
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
	net = pri_new_bri_cb(fds[0], !ptmp, PRI_NETWORK, PRI_SWITCH_EUROISDN_E1, io_read, io_write, NULL);
	cpe = pri_new_bri_cb(fds[1], !ptmp, PRI_CPE, PRI_SWITCH_EUROISDN_E1, io_read, io_write, NULL);
	if (!net || !cpe)
		return -2;
	for (int spins = 0; up < 2 && spins < 1000000; spins++)
		if (!pump())
			usleep(1000); /* TEI assignment waits on timers */
	return up >= 2 ? 0 : -3;
}

void pri_bench_trace(int on) { trace = on; }

int pri_bench_cycles(int n)
{
	int done = 0;
	char number[] = "123";
	for (int i = 0; i < n; i++) {
		q931_call *c = pri_new_call(cpe);
		struct pri_sr *sr = pri_sr_new();
		int target = cleared + 1;
		pri_sr_set_channel(sr, 0, 0, 0);
		pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, PRI_LAYER_1_ALAW);
		pri_sr_set_called(sr, number, PRI_UNKNOWN, 1);
		pri_setup(cpe, c, sr);
		pri_sr_free(sr);
		for (int spins = 0; cleared < target && spins < 100000; spins++)
			pump();
		done += cleared >= target;
	}
	return done;
}
