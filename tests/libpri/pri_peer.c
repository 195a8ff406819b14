/*
 * pri_peer: one end of an ISDN D-channel run by libpri, for testing Ringback.
 *
 *   pri_peer --listen PATH --side nt|te --mode ptmp|ptp [--debug]
 *
 * Listens on a UNIX SOCK_SEQPACKET socket at PATH, accepts one connection (the box
 * under test) and runs libpri on it: one datagram is one LAPD frame plus two FCS
 * placeholder octets, which libpri itself adds and strips. Commands arrive on stdin,
 * one per line; results and events go to stdout, one line each:
 *
 *   dial CALLED [CALLING]   -> OK dial ID         proceeding|alert|answer ID -> OK
 *   hangup ID CAUSE         -> OK                 status -> OK calls=N      quit
 *   hold ID | retrieve ID   -> OK (HOLD / RETRIEVE, Q.932)
 *   EVENT DCHAN_UP | DCHAN_DOWN | RING id= called= calling= channel= |
 *         PROCEEDING id= | RINGING id= | ANSWER id= | CONNECT_ACK id= |
 *         HANGUP_REQ id= cause= (DISCONNECT) | HANGUP id= cause= (RELEASE or
 *         RELEASE COMPLETE) | HANGUP_ACK id= |
 *         HOLD id= | RETRIEVE id= channel= (both acknowledged at once) |
 *         HOLD_ACK id= | HOLD_REJ id= cause= | RETRIEVE_ACK id= channel= |
 *         RETRIEVE_REJ id= cause= |
 *         SOCKET_CLOSED | OTHER e=
 * A DISCONNECT (HANGUP_REQ) is answered with pri_hangup at once, and a HANGUP event
 * is followed by pri_hangup to free the call, as libpri's users must do.
 */
#include <errno.h>
#include <libpri.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <fcntl.h>

#define MAX_CALLS 64

static struct pri *pri;
static q931_call *calls[MAX_CALLS];
static int channels[MAX_CALLS]; /* the B-channel to answer an incoming call on */
static int network_side;

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void on_message(struct pri *p, char *s) { (void)p; fprintf(stderr, "libpri: %s", s); }
static void on_error(struct pri *p, char *s) { (void)p; fprintf(stderr, "libpri error: %s", s); }

static int io_read(struct pri *p, void *buf, int len) { return read(pri_fd(p), buf, len); }
static int io_write(struct pri *p, void *buf, int len) { return write(pri_fd(p), buf, len); }

static int id_of(q931_call *c, int add)
{
	int free_slot = -1;
	for (int i = 0; i < MAX_CALLS; i++) {
		if (calls[i] == c)
			return i;
		if (!calls[i] && free_slot < 0)
			free_slot = i;
	}
	if (add && free_slot >= 0) {
		calls[free_slot] = c;
		return free_slot;
	}
	return -1;
}

static void forget(int id)
{
	if (id >= 0)
		calls[id] = NULL;
}

static void handle(pri_event *e)
{
	int id, ch;
	switch (e->e) {
	case PRI_EVENT_DCHAN_UP: say("EVENT DCHAN_UP"); break;
	case PRI_EVENT_DCHAN_DOWN: say("EVENT DCHAN_DOWN"); break;
	case PRI_EVENT_RING:
		id = id_of(e->ring.call, 1);
		/* libpri answers on the channel it is given; "any" (-1) or none (0): take B1 */
		if (id >= 0)
			channels[id] = e->ring.channel > 0 ? e->ring.channel : 1;
		say("EVENT RING id=%d called=%s calling=%s channel=%d", id,
		    e->ring.callednum[0] ? e->ring.callednum : "-",
		    e->ring.callingnum[0] ? e->ring.callingnum : "-", e->ring.channel);
		break;
	case PRI_EVENT_PROCEEDING:
		say("EVENT PROCEEDING id=%d", id_of(e->proceeding.call, 0));
		break;
	case PRI_EVENT_RINGING:
		say("EVENT RINGING id=%d", id_of(e->ringing.call, 0));
		break;
	case PRI_EVENT_ANSWER:
		say("EVENT ANSWER id=%d", id_of(e->answer.call, 0));
		break;
	case PRI_EVENT_CONNECT_ACK:
		say("EVENT CONNECT_ACK id=%d", id_of(e->connect_ack.call, 0));
		break;
	case PRI_EVENT_HANGUP_REQ:
		id = id_of(e->hangup.call, 0);
		say("EVENT HANGUP_REQ id=%d cause=%d", id, e->hangup.cause);
		/* answering the DISCONNECT: libpri finishes clearing and frees the call */
		pri_hangup(pri, e->hangup.call, e->hangup.cause);
		forget(id);
		break;
	case PRI_EVENT_HANGUP:
		id = id_of(e->hangup.call, 0);
		say("EVENT HANGUP id=%d cause=%d", id, e->hangup.cause);
		pri_hangup(pri, e->hangup.call, e->hangup.cause);
		forget(id);
		break;
	case PRI_EVENT_HANGUP_ACK:
		id = id_of(e->hangup.call, 0);
		say("EVENT HANGUP_ACK id=%d", id);
		forget(id);
		break;
	case PRI_EVENT_HOLD:
		say("EVENT HOLD id=%d", id_of(e->hold.call, 0));
		pri_hold_ack(pri, e->hold.call);
		break;
	case PRI_EVENT_HOLD_ACK:
		say("EVENT HOLD_ACK id=%d", id_of(e->hold_ack.call, 0));
		break;
	case PRI_EVENT_HOLD_REJ:
		say("EVENT HOLD_REJ id=%d cause=%d", id_of(e->hold_rej.call, 0), e->hold_rej.cause);
		break;
	case PRI_EVENT_RETRIEVE:
		/* give back the B-channel the RETRIEVE asked for, else B1 (libpri codes the
		 * channel number in the low octet, 0xff for "none given") */
		ch = e->retrieve.channel & 0xff;
		say("EVENT RETRIEVE id=%d channel=%d", id_of(e->retrieve.call, 0),
		    ch == 0xff ? -1 : ch);
		pri_retrieve_ack(pri, e->retrieve.call, ch == 1 || ch == 2 ? ch : 1);
		break;
	case PRI_EVENT_RETRIEVE_ACK:
		say("EVENT RETRIEVE_ACK id=%d channel=%d", id_of(e->retrieve_ack.call, 0),
		    e->retrieve_ack.channel);
		break;
	case PRI_EVENT_RETRIEVE_REJ:
		say("EVENT RETRIEVE_REJ id=%d cause=%d", id_of(e->retrieve_rej.call, 0),
		    e->retrieve_rej.cause);
		break;
	default:
		say("EVENT OTHER e=%d", e->e);
	}
}

static q931_call *call_arg(const char *s)
{
	int id = s ? atoi(s) : -1;
	return (id >= 0 && id < MAX_CALLS) ? calls[id] : NULL;
}

static void command(char *line)
{
	char *verb = strtok(line, " \t\r\n"), *a = strtok(NULL, " \t\r\n"), *b = strtok(NULL, " \t\r\n");
	q931_call *c;
	if (!verb)
		return;
	if (!strcmp(verb, "quit"))
		exit(0);
	if (!strcmp(verb, "status")) {
		int n = 0;
		for (int i = 0; i < MAX_CALLS; i++)
			n += calls[i] != NULL;
		say("OK calls=%d", n);
		return;
	}
	if (!strcmp(verb, "dial")) {
		struct pri_sr *sr;
		if (!a) { say("ERR usage: dial CALLED [CALLING]"); return; }
		c = pri_new_call(pri);
		if (!c) { say("ERR no call available"); return; }
		sr = pri_sr_new();
		/* libpri codes channel 0 as "no channel": a TE asks for any (-1), the
		 * network assigns B1 exclusively (one call at a time in these tests) */
		if (network_side)
			pri_sr_set_channel(sr, 1, 1, 0);
		else
			pri_sr_set_channel(sr, -1, 0, 0);
		pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, PRI_LAYER_1_ALAW);
		pri_sr_set_called(sr, a, PRI_UNKNOWN, 1);
		if (b)
			pri_sr_set_caller(sr, b, NULL, PRI_UNKNOWN, PRES_ALLOWED_USER_NUMBER_NOT_SCREENED);
		if (pri_setup(pri, c, sr)) {
			pri_sr_free(sr);
			say("ERR pri_setup failed");
			return;
		}
		pri_sr_free(sr);
		say("OK dial %d", id_of(c, 1));
		return;
	}
	c = call_arg(a);
	if (!c) { say("ERR no call %s", a ? a : "(none)"); return; }
	int ch = channels[atoi(a)] > 0 ? channels[atoi(a)] : 1;
	if (!strcmp(verb, "proceeding"))
		say(pri_proceeding(pri, c, ch, 0) ? "ERR proceeding" : "OK");
	else if (!strcmp(verb, "alert"))
		say(pri_acknowledge(pri, c, ch, 0) ? "ERR alert" : "OK");
	else if (!strcmp(verb, "answer"))
		say(pri_answer(pri, c, ch, 0) ? "ERR answer" : "OK");
	else if (!strcmp(verb, "hangup"))
		say(pri_hangup(pri, c, b ? atoi(b) : 16) ? "ERR hangup" : "OK");
	else if (!strcmp(verb, "hold"))
		say(pri_hold(pri, c) ? "ERR hold" : "OK");
	else if (!strcmp(verb, "retrieve"))
		say(pri_retrieve(pri, c, 0) ? "ERR retrieve" : "OK");
	else
		say("ERR unknown command %s", verb);
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int srv = socket(AF_UNIX, SOCK_SEQPACKET, 0), fd;
	if (srv < 0 || strlen(path) >= sizeof(addr.sun_path)) {
		perror("socket");
		exit(2);
	}
	strcpy(addr.sun_path, path);
	unlink(path);
	if (bind(srv, (struct sockaddr *)&addr, sizeof(addr)) || listen(srv, 1)) {
		perror(path);
		exit(2);
	}
	say("LISTENING %s", path);
	fd = accept(srv, NULL, NULL);
	if (fd < 0) {
		perror("accept");
		exit(2);
	}
	close(srv);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *side = "nt", *mode = "ptmp";
	int debug = 0, fd;
	char line[512];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--listen") && i + 1 < argc) path = argv[++i];
		else if (!strcmp(argv[i], "--side") && i + 1 < argc) side = argv[++i];
		else if (!strcmp(argv[i], "--mode") && i + 1 < argc) mode = argv[++i];
		else if (!strcmp(argv[i], "--debug")) debug = 1;
		else { fprintf(stderr, "usage: pri_peer --listen PATH --side nt|te --mode ptmp|ptp [--debug]\n"); return 2; }
	}
	if (!path) { fprintf(stderr, "pri_peer: --listen PATH is required\n"); return 2; }
	setvbuf(stdout, NULL, _IOLBF, 0);
	pri_set_message(on_message);
	pri_set_error(on_error);
	fd = listen_on(path);
	network_side = !strcmp(side, "nt");
	pri = pri_new_bri_cb(fd, !strcmp(mode, "ptp"), network_side ? PRI_NETWORK : PRI_CPE,
			     PRI_SWITCH_EUROISDN_E1, io_read, io_write, NULL);
	if (!pri) { fprintf(stderr, "pri_peer: pri_new_bri_cb failed\n"); return 2; }
	pri_hold_enable(pri, 1);
	if (debug)
		pri_set_debug(pri, PRI_DEBUG_Q921_STATE | PRI_DEBUG_Q931_STATE | PRI_DEBUG_Q931_DUMP);
	for (;;) {
		struct pollfd fds[2] = { { fd, POLLIN, 0 }, { 0, POLLIN, 0 } };
		struct timeval *next = pri_schedule_next(pri), now;
		int timeout = -1;
		pri_event *e;
		if (next) {
			gettimeofday(&now, NULL);
			long ms = (next->tv_sec - now.tv_sec) * 1000 + (next->tv_usec - now.tv_usec) / 1000;
			timeout = ms < 0 ? 0 : (int)ms + 1;
		}
		if (poll(fds, 2, timeout) < 0 && errno != EINTR) {
			perror("poll");
			return 1;
		}
		if (fds[0].revents & (POLLHUP | POLLERR)) {
			say("EVENT SOCKET_CLOSED");
			return 0;
		}
		if (fds[0].revents & POLLIN) {
			char peek;
			if (recv(fd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
				say("EVENT SOCKET_CLOSED");
				return 0;
			}
			if ((e = pri_check_event(pri)))
				handle(e);
		}
		if (fds[1].revents & (POLLIN | POLLHUP)) {
			if (!fgets(line, sizeof(line), stdin))
				return 0;
			command(line);
		}
		while ((e = pri_schedule_run(pri)))
			handle(e);
	}
}
