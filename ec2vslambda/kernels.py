"""The compiled loops behind :mod:`ec2vslambda.simulate` (numba, ``nopython`` mode).

Three pieces, each a plain loop over sorted arrival times:

* :func:`policy_windows` and friends -- a keep-alive policy's state in arrays: the same rules and
  the same arithmetic as :class:`ec2vslambda.keepalive.HybridTracker` (``tests/test_kernels.py``
  checks that both give the same windows after the same idle times).
* :func:`lambda_kernel` -- one function's execution environments under Lambda's rules (see
  :mod:`ec2vslambda.simulate`), with a policy's windows applied per idle period.
* :func:`application_kernel` -- the paper's model: one image per application, loaded or not.

Why compiled: a day at 100 requests a second is 8.64 million iterations, and a week-long trace
replay runs every policy over tens of millions. numba compiles these loops once per machine
(``cache=True`` keeps the machine code beside the module) and releases the GIL while they run
(``nogil=True``), so threads can replay functions side by side. The only Python called from a
loop is statsmodels' ARIMA, through ``numba.objmode``, for a policy with ``forecast="arima"``.

Policies arrive as the float arrays of ``FixedKeepAlive.params()`` / ``HybridHistogram.params()``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, objmode

from .keepalive import RECOMPUTE_ALWAYS_UP_TO, RECOMPUTE_GROWTH, arima_next_idle_s

SCALING_WINDOW_S = 10.0
INF = math.inf
_ROUNDER = 1.5 * 2.0**52

# indices into a HybridHistogram's params array
_RANGE, _BIN, _HEAD, _TAIL, _MARGIN, _CV, _MIN, _OOB, _FORECAST, _SAMPLES, _FMARGIN = range(1, 12)
# indices into the float state array of a policy
_S_PREWARM, _S_KEEP, _S_IN, _S_OUT, _S_SUMSQ, _S_COMPUTED, _S_FORECASTING, _S_NREC, _S_NOUT = \
    range(9)


def _arima_from_arrays(recent: np.ndarray, recent_out: np.ndarray) -> float:
    return arima_next_idle_s(recent.tolist(), recent_out.tolist())


@njit(cache=True, nogil=True)
def new_state(params):
    """A policy's fresh state: (float state, bin counts, recent idle times, recent OOB ones)."""
    state = np.zeros(9)
    if params[0] == 0.0:  # fixed
        state[_S_KEEP] = params[1]
        return state, np.zeros(1, np.int64), np.zeros(1), np.zeros(1)
    state[_S_KEEP] = params[_RANGE]
    bins = np.zeros(int(math.ceil(params[_RANGE] / params[_BIN])), np.int64)
    samples = int(params[_SAMPLES])
    return state, bins, np.zeros(samples), np.zeros(samples)


@njit(cache=True)
def _push_ring(ring, count, value):
    """Append to a ring buffer holding the last ``ring.size`` values; returns the new count."""
    ring[count % ring.size] = value
    return count + 1


@njit(cache=True)
def _ring_values(ring, count):
    """The ring's values, oldest first."""
    n = min(count, ring.size)
    out = np.empty(n)
    start = count - n
    for j in range(n):
        out[j] = ring[(start + j) % ring.size]
    return out


@njit(cache=True, inline="always")
def floor_div(x, y):
    """``x // y`` for positive floats, exactly as Python computes it (numba's ``//`` is slow)."""
    q = math.floor(x / y)
    if q * y > x:
        q -= 1.0
    elif (q + 1.0) * y <= x:
        q += 1.0
    return q


@njit(cache=True)
def _compute(params, state, bins, recent, recent_out):
    total = state[_S_IN] + state[_S_OUT]
    state[_S_FORECASTING] = 0.0
    if total < params[_MIN]:
        return 0.0, params[_RANGE]
    if state[_S_OUT] > params[_OOB] * total:
        state[_S_FORECASTING] = 1.0
        out_values = _ring_values(recent_out, int(state[_S_NOUT]))
        if params[_FORECAST] == 1.0:
            values = _ring_values(recent, int(state[_S_NREC]))
            with objmode(predicted="float64"):
                predicted = _arima_from_arrays(values, out_values)
        else:
            predicted = np.median(out_values)
        fm = params[_FMARGIN]
        return predicted * (1.0 - fm), predicted * 2.0 * fm
    n = bins.size
    mean = state[_S_IN] / n
    if state[_S_IN] == 0.0:
        return 0.0, params[_RANGE]
    variance = state[_S_SUMSQ] / n - mean * mean
    cv = math.sqrt(max(variance, 0.0)) / mean
    if cv < params[_CV]:
        return 0.0, params[_RANGE]
    head_count = params[_HEAD] / 100.0 * state[_S_IN]
    tail_count = params[_TAIL] / 100.0 * state[_S_IN]
    head_bin = n - 1
    tail_bin = n - 1
    cumulative = 0
    found_head = False
    for b in range(n):
        cumulative += bins[b]
        if not found_head and cumulative >= head_count:
            head_bin = b
            found_head = True
        if cumulative >= tail_count - 1e-9:
            tail_bin = b
            break
    prewarm = head_bin * params[_BIN] * (1.0 - params[_MARGIN])
    return prewarm, (tail_bin + 1) * params[_BIN] * (1.0 + params[_MARGIN]) - prewarm


@njit(cache=True, inline="always")
def observe(params, state, bins, recent, recent_out, idle_s):
    """Record one idle time and recompute the windows when the schedule says so."""
    if params[0] == 0.0:
        return
    index = int(floor_div(idle_s, params[_BIN]))
    if index < bins.size:
        state[_S_SUMSQ] += 2 * bins[index] + 1
        bins[index] += 1
        state[_S_IN] += 1.0
    else:
        state[_S_OUT] += 1.0
        state[_S_NOUT] = _push_ring(recent_out, int(state[_S_NOUT]), idle_s)
    state[_S_NREC] = _push_ring(recent, int(state[_S_NREC]), idle_s)
    total = state[_S_IN] + state[_S_OUT]
    if (total <= RECOMPUTE_ALWAYS_UP_TO or total >= state[_S_COMPUTED] * RECOMPUTE_GROWTH
            or state[_S_FORECASTING] == 1.0):
        prewarm, keep = _compute(params, state, bins, recent, recent_out)
        state[_S_PREWARM] = prewarm
        state[_S_KEEP] = keep
        state[_S_COMPUTED] = total


@njit(cache=True)
def policy_windows(params, idle_times_s):
    """The windows after each of ``idle_times_s`` (for tests): an (n, 2) array."""
    state, bins, recent, recent_out = new_state(params)
    out = np.empty((idle_times_s.size, 2))
    for i in range(idle_times_s.size):
        observe(params, state, bins, recent, recent_out, idle_times_s[i])
        out[i, 0] = state[_S_PREWARM]
        out[i, 1] = state[_S_KEEP]
    return out


@njit(cache=True, inline="always")
def _bill(latency_ms, step_ms):
    """One request's billed ms: ``numpy.ceil(numpy.round(latency / step, 6)) * step``.

    ``numpy.round(x, 6)`` is ``rint(x * 1e6) / 1e6``; adding and removing 1.5 * 2**52 rounds to
    the nearest integer, ties to even, exactly as rint does for ``|x * 1e6| < 2**51`` (latencies
    are at most the 15-minute timeout plus INIT), without a call to libm.
    """
    scaled = latency_ms / step_ms * 1e6
    return np.ceil(((scaled + _ROUNDER) - _ROUNDER) / 1e6) * step_ms


@njit(cache=True, inline="always")
def _clipped(start, end, from_s, until_s):
    """Length of ``[start, end]`` inside ``[from_s, until_s]``."""
    lo = max(start, from_s)
    hi = min(end, until_s)
    return hi - lo if hi > lo else 0.0


@njit(cache=True, inline="always")
def _compact(buf, created, ids, lo, hi):
    """Move the sorted region ``buf[lo:hi]`` (and its payload) to the front; returns its new
    end."""
    size = hi - lo
    for k in range(size):
        buf[k] = buf[lo + k]
        created[k] = created[lo + k]
        ids[k] = ids[lo + k]
    return size


@njit(cache=True, error_model="numpy", inline="always")
def _push(buf, created, ids, lo, hi, value, made_at, env):
    """Add ``value`` to the sorted live region ``buf[lo:hi]``, moving the region to the front
    first when it has reached the end of ``buf``; returns the region's new ``(lo, hi)``. The
    environment's creation time and id ride along (``routing="newest"`` reads them)."""
    if hi == buf.size:
        hi = _compact(buf, created, ids, lo, hi)
        lo = 0
    return lo, _insert_sorted(buf, created, ids, lo, hi, value, made_at, env)


@njit(cache=True, error_model="numpy", inline="always")
def _insert_sorted(buf, created, ids, lo, hi, value, made_at, env):
    """Insert ``value`` into the sorted ``buf[lo:hi]`` (``hi < buf.size``); returns the new end.

    The busy environments' end times are kept sorted, so that the earliest is ``buf[lo]`` and
    freeing it is ``lo += 1``. A new end is usually among the latest, so its slot is searched
    from the back, by bisection beyond 16 steps. ``created`` and ``ids`` move with ``buf``.
    """
    j = hi
    steps = 0
    while j > lo and buf[j - 1] > value:
        steps += 1
        if steps > 16:  # far from the back: find the slot by bisection, then shift
            left, right = lo, j
            while left < right:
                middle = (left + right) >> 1
                if buf[middle] > value:
                    right = middle
                else:
                    left = middle + 1
            for k in range(j, left, -1):
                buf[k] = buf[k - 1]
                created[k] = created[k - 1]
                ids[k] = ids[k - 1]
            j = left
            break
        buf[j] = buf[j - 1]
        created[j] = created[j - 1]
        ids[j] = ids[j - 1]
        j -= 1
    buf[j] = value
    created[j] = made_at
    ids[j] = env
    return hi + 1


@njit(cache=True, inline="always")
def _before(key, ids, a, b):
    """Whether heap entry ``a`` comes before ``b``: the later creation time, then the smaller
    id (``key`` holds minus the creation time), as Python compares ``(-created, id)``."""
    return key[a] < key[b] or (key[a] == key[b] and ids[a] < ids[b])


@njit(cache=True, inline="always")
def _move(key, ids, loaded, expires, to, source):
    key[to] = key[source]
    ids[to] = ids[source]
    loaded[to] = loaded[source]
    expires[to] = expires[source]


@njit(cache=True)
def _sift_down(key, ids, loaded, expires, start, pos):
    """``heapq._siftdown`` on four parallel arrays (the spare slot ``key.size - 1`` holds the
    moving entry), so that the compiled heap stays laid out as Python's ``heapq`` lays it."""
    spare = key.size - 1
    _move(key, ids, loaded, expires, spare, pos)
    while pos > start:
        parent = (pos - 1) >> 1
        if _before(key, ids, spare, parent):
            _move(key, ids, loaded, expires, pos, parent)
            pos = parent
            continue
        break
    _move(key, ids, loaded, expires, pos, spare)


@njit(cache=True)
def _heap_push(key, ids, loaded, expires, size, k, env, start, end):
    """``heapq.heappush`` of ``(k, env, start, end)``; returns the new size."""
    key[size] = k
    ids[size] = env
    loaded[size] = start
    expires[size] = end
    _sift_down(key, ids, loaded, expires, 0, size)
    return size + 1


@njit(cache=True)
def _heap_pop(key, ids, loaded, expires, size):
    """``heapq.heappop``: the first entry moves to the spare slot ``key.size - 2``; returns the
    new size."""
    out = key.size - 2
    size -= 1
    if size == 0:
        _move(key, ids, loaded, expires, out, 0)
        return size
    _move(key, ids, loaded, expires, out, 0)
    _move(key, ids, loaded, expires, 0, size)
    # heapq._siftup: move the smaller child up until a leaf, then sift the entry down
    pos = 0
    spare = key.size - 1
    _move(key, ids, loaded, expires, spare, 0)
    child = 1
    while child < size:
        right = child + 1
        if right < size and not _before(key, ids, child, right):
            child = right
        _move(key, ids, loaded, expires, pos, child)
        pos = child
        child = 2 * pos + 1
    _move(key, ids, loaded, expires, pos, spare)
    _sift_down(key, ids, loaded, expires, 0, pos)
    return size


@njit(cache=True, nogil=True, error_model="numpy")
def lambda_kernel(arrivals, durations_ms, init_ms, limit, rate, provisioned, params,
                  idle_from_s, idle_until_s, capacity, step_ms, newest):
    """Lambda's rules for one function (see :mod:`ec2vslambda.simulate`).

    Busy environments are kept as sorted arrays of the times they free (on-demand and
    provisioned apart, see :func:`_insert_sorted`); idle on-demand ones on a stack of (loaded
    from, expires at), most recently freed on top, or with ``newest`` (``routing="newest"``) in
    a heap ordered as Python's ``heapq`` orders ``(-created, id)``: the latest created first,
    the first created among those created at once. Returns per-request ``cold``,
    ``throttled`` and ``by_provisioned`` masks, the idle memory-time (environment-seconds
    inside ``[idle_from_s, idle_until_s]``), the number of pre-warm loads, the peak number of
    requests in flight, the per-request latencies and the totals of :func:`_bill` (billed ms,
    latest end, requests served), and ``overflow``:
    True when more than ``capacity`` environments were needed at once (the arrays are sized
    before the loop, because arrays reassigned inside a numba loop slow every iteration; call
    again with a larger ``capacity``, at most ``limit + 1`` is ever needed).
    :mod:`ec2vslambda.engine` runs the same rules in standard-library Python.
    """
    n = arrivals.size
    cold = np.zeros(n, np.bool_)
    throttled = np.zeros(n, np.bool_)
    by_provisioned = np.zeros(n, np.bool_)
    latency = np.empty(n)
    billed_ms = 0.0
    last_end = 0.0
    served = 0
    state, bins, recent, recent_out = new_state(params)
    adaptive = params[0] != 0.0
    busy = np.empty(2 * capacity)  # end times of busy on-demand environments, sorted
    busy_created = np.empty(2 * capacity)  # and when each environment was created, its id
    busy_id = np.empty(2 * capacity, np.int64)
    b_lo = b_hi = 0  # the live region busy[b_lo:b_hi]
    provisioned_busy = np.empty(2 * provisioned + 2)  # the same for provisioned ones
    provisioned_created = np.empty(2 * provisioned + 2)  # (unused)
    provisioned_id = np.empty(2 * provisioned + 2, np.int64)
    p_lo = p_hi = 0
    provisioned_idle = provisioned
    idle_cap = capacity + 1
    loaded_at = np.empty(idle_cap + 2)  # the idle set; two spare slots for the heap
    expires_at = np.empty(idle_cap + 2)
    heap_key = np.empty(idle_cap + 2 if newest else 2)  # minus the creation time (newest)
    heap_id = np.empty(idle_cap + 2 if newest else 2, np.int64)
    top = heap_key.size - 2  # where _heap_pop leaves the entry it takes
    n_idle = 0
    created = 0  # environments created so far (their ids)
    pending = False  # the idle set holds a pre-warm not loaded yet (then it is the only one)
    idle_env_s = 0.0
    prewarm_loads = 0
    peak = 0
    idle_since = -1.0  # when the function last had nothing in flight; -1: not idle now
    window = -1.0
    tokens = 0
    overflow = False
    env = 0
    i = 0
    while not overflow:
        t = arrivals[i] if i < n else INF
        # environments freed before this arrival, in the order they free; at the end (t = INF)
        # every busy one frees in turn and lives out its window
        while True:
            take_od = b_hi > b_lo and busy[b_lo] <= t
            take_pc = p_hi > p_lo and provisioned_busy[p_lo] <= t
            if not take_od and not take_pc:
                break
            if take_od and (not take_pc or busy[b_lo] <= provisioned_busy[p_lo]):
                freed = busy[b_lo]
                env = b_lo
                b_lo += 1
                on_demand = True
            else:
                freed = provisioned_busy[p_lo]
                p_lo += 1
                provisioned_idle += 1
                on_demand = False
            in_flight = b_hi - b_lo + p_hi - p_lo
            prewarm = state[_S_PREWARM]
            keep = state[_S_KEEP]
            if in_flight > 0 or prewarm == 0.0:
                # still busy (or no pre-warm): it stays loaded for the keep-alive window
                if on_demand:
                    if n_idle == idle_cap:
                        overflow = True
                        break
                    if newest:
                        n_idle = _heap_push(heap_key, heap_id, loaded_at, expires_at, n_idle,
                                            -busy_created[env], busy_id[env], freed,
                                            freed + keep)
                    else:
                        loaded_at[n_idle] = freed
                        expires_at[n_idle] = freed + keep
                        n_idle += 1
            else:  # the function goes idle: unload everything; one comes back at the pre-warm
                for j in range(n_idle):
                    idle_env_s += _clipped(loaded_at[j], min(freed, expires_at[j]),
                                           idle_from_s, idle_until_s)
                n_idle = 0
                if provisioned == 0:
                    loaded_at[0] = freed + prewarm
                    expires_at[0] = freed + prewarm + keep
                    heap_key[0] = -(freed + prewarm)
                    heap_id[0] = created
                    if newest:
                        created += 1
                    n_idle = 1
                    pending = True
            if in_flight == 0:
                idle_since = freed
        if i == n or overflow:
            break
        if idle_since >= 0.0:  # this arrival ends an idle period
            if adaptive:
                observe(params, state, bins, recent, recent_out, t - idle_since)
            idle_since = -1.0
            if pending:
                if t < loaded_at[n_idle - 1]:  # before its pre-warm: cancel it
                    n_idle -= 1
                else:
                    prewarm_loads += 1
                pending = False
        d_ms = durations_ms[i]
        d_s = d_ms / 1000.0
        if provisioned_idle > 0:
            provisioned_idle -= 1
            by_provisioned[i] = True
            p_lo, p_hi = _push(provisioned_busy, provisioned_created, provisioned_id, p_lo,
                               p_hi, t + d_s, 0.0, 0)
            latency[i] = d_ms
        else:
            warm = False
            if newest:
                while n_idle > 0 and t > expires_at[0]:
                    # expired: it held memory for its whole keep-alive
                    n_idle = _heap_pop(heap_key, heap_id, loaded_at, expires_at, n_idle)
                    idle_env_s += _clipped(loaded_at[top], expires_at[top], idle_from_s,
                                           idle_until_s)
                if n_idle > 0:  # the newest loaded environment: warm
                    n_idle = _heap_pop(heap_key, heap_id, loaded_at, expires_at, n_idle)
                    idle_env_s += _clipped(loaded_at[top], t, idle_from_s, idle_until_s)
                    b_lo, b_hi = _push(busy, busy_created, busy_id, b_lo, b_hi, t + d_s,
                                       -heap_key[top], heap_id[top])
                    warm = True
            else:
                while n_idle > 0 and t > expires_at[n_idle - 1]:
                    # expired: it held memory for its whole keep-alive
                    n_idle -= 1
                    idle_env_s += _clipped(loaded_at[n_idle], expires_at[n_idle], idle_from_s,
                                           idle_until_s)
                if n_idle > 0:  # the most recently freed loaded environment: warm
                    n_idle -= 1
                    idle_env_s += _clipped(loaded_at[n_idle], t, idle_from_s, idle_until_s)
                    b_lo, b_hi = _push(busy, busy_created, busy_id, b_lo, b_hi, t + d_s, 0.0, 0)
                    warm = True
            if warm:
                latency[i] = d_ms
            else:
                w = floor_div(t, SCALING_WINDOW_S)
                if w != window:
                    window = w
                    tokens = rate
                if b_hi - b_lo + p_hi - p_lo >= limit or tokens == 0:
                    throttled[i] = True
                    latency[i] = np.nan
                else:
                    tokens -= 1
                    cold[i] = True
                    if b_hi - b_lo == capacity:
                        overflow = True
                        break
                    b_lo, b_hi = _push(busy, busy_created, busy_id, b_lo, b_hi,
                                       t + (init_ms + d_ms) / 1000.0, t, created)
                    if newest:
                        created += 1
                    latency[i] = init_ms + d_ms
        if not throttled[i]:
            billed_ms += _bill(latency[i], step_ms)
            last_end = max(last_end, t + latency[i] / 1000.0)
            served += 1
        peak = max(peak, b_hi - b_lo + p_hi - p_lo)
        i += 1
    if pending:
        prewarm_loads += 1
    for j in range(n_idle):
        idle_env_s += _clipped(loaded_at[j], expires_at[j], idle_from_s, idle_until_s)
    return (cold, throttled, by_provisioned, idle_env_s, prewarm_loads, peak, latency, billed_ms,
            last_end, served, overflow)


@njit(cache=True, nogil=True, error_model="numpy")
def application_kernel(arrivals, durations_ms, init_ms, params, idle_from_s, idle_until_s):
    """The paper's application-level model: one image, loaded or not, whatever the concurrency.

    A request is warm when the image is loaded at its arrival: while any request is executing,
    or inside the idle period's loaded span (from the pre-warm until the keep-alive runs out).
    Returns the per-request ``cold`` mask, the wasted memory-time (loaded-idle seconds inside
    ``[idle_from_s, idle_until_s]``) and the number of pre-warm loads.
    """
    n = arrivals.size
    cold = np.zeros(n, np.bool_)
    state, bins, recent, recent_out = new_state(params)
    adaptive = params[0] != 0.0
    busy_until = -INF  # when the last execution so far ends
    idle_s = 0.0
    prewarm_loads = 0
    for i in range(n):
        t = arrivals[i]
        if i == 0:
            cold[i] = True
        elif t >= busy_until:  # an idle period [busy_until, t] ends here
            load = busy_until + state[_S_PREWARM]
            expire = load + state[_S_KEEP]
            if state[_S_PREWARM] > 0.0 and t >= load:
                prewarm_loads += 1
            if t < load:
                cold[i] = True  # before the pre-warm: the image is not loaded
            elif t > expire:
                cold[i] = True
                idle_s += _clipped(load, expire, idle_from_s, idle_until_s)
            else:
                idle_s += _clipped(load, t, idle_from_s, idle_until_s)
            if adaptive:
                observe(params, state, bins, recent, recent_out, t - busy_until)
        end = t + ((init_ms if cold[i] else 0.0) + durations_ms[i]) / 1000.0
        busy_until = max(busy_until, end)
    if n:
        load = busy_until + state[_S_PREWARM]
        if state[_S_PREWARM] > 0.0:
            prewarm_loads += 1
        idle_s += _clipped(load, load + state[_S_KEEP], idle_from_s, idle_until_s)
    return cold, idle_s, prewarm_loads


@njit(cache=True, nogil=True)
def _all_good(arrivals, durations_ms, max_duration_ms):
    """Whether every value is good: the same tests without an early exit, so that the compiler
    can vectorise them (twice as fast on a valid list, which is the usual case; NaN fails every
    comparison)."""
    good = True
    if arrivals.size:
        good = (arrivals[0] >= 0.0) & (arrivals[0] < INF)
    for i in range(1, arrivals.size):
        good &= (arrivals[i] >= arrivals[i - 1]) & (arrivals[i] < INF)
    for i in range(durations_ms.size):
        d = durations_ms[i]
        good &= (d >= 0.0) & (d <= max_duration_ms) & (d < INF)
    return good


@njit(cache=True, nogil=True)
def first_bad_request(arrivals, durations_ms, max_duration_ms):
    """One pass over a request list: ``(problem, index)`` of the first bad value, where problem
    is 0 (none), 1 (an arrival not finite or negative), 2 (an arrival before the previous one)
    or 3 (a duration not finite, negative or above ``max_duration_ms``). The messages are
    :func:`ec2vslambda.workloads.check_requests`'."""
    if _all_good(arrivals, durations_ms, max_duration_ms):
        return 0, -1
    previous = 0.0
    for i in range(arrivals.size):
        a = arrivals[i]
        if not (a >= 0.0 and a < INF):
            return 1, i
        if i > 0 and a < previous:
            return 2, i - 1
        previous = a
    for i in range(durations_ms.size):
        d = durations_ms[i]
        if not (d >= 0.0 and d <= max_duration_ms and d < INF):
            return 3, i
    return 0, -1
