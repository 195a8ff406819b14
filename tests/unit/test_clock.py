from firmware.clock import VirtualClock


def test_timers_run_in_time_order_and_ties_in_setting_order():
    clock = VirtualClock()
    seen = []
    clock.call_later(2.0, seen.append, "b")
    clock.call_later(1.0, seen.append, "a")
    clock.call_later(2.0, seen.append, "c")
    clock.advance(1.5)
    assert seen == ["a"] and clock.now() == 1.5
    clock.advance(10)
    assert seen == ["a", "b", "c"] and clock.now() == 11.5


def test_callbacks_see_their_own_time_and_may_set_new_timers():
    clock = VirtualClock()
    times = []

    def tick():
        times.append(clock.now())
        if len(times) < 3:
            clock.call_later(30.0, tick)

    clock.call_later(30.0, tick)
    clock.advance(100)
    assert times == [30.0, 60.0, 90.0]


def test_cancelled_timer_does_not_run():
    clock = VirtualClock()
    seen = []
    handle = clock.call_later(1.0, seen.append, 1)
    handle.cancel()
    clock.advance(2)
    assert seen == [] and clock.pending() == 0


def test_wall_clock_moves_with_virtual_time():
    clock = VirtualClock(epoch=1000.0)
    clock.advance(5)
    assert clock.wall() == 1005.0
