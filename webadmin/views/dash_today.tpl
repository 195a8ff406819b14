% # 24 hourly bars, answered below missed; the height is scaled to the busiest hour
% t = today
% peak = max(t.peak, 1)
<p class="today-counts"><strong id="today-total">{{t.counted}}</strong> {{'call' if t.counted == 1 else 'calls'}} today ({{t.date}}):
  {{sum(t.answered)}} answered, {{sum(t.missed)}} missed · {{t.inbound}} in, {{t.outbound}} out, {{t.internal}} internal{{f' (counted {t.counted} of {t.total})' if t.counted < t.total else ''}}</p>
<svg class="chart" viewBox="0 0 480 130" width="480" height="130" role="img" aria-label="calls per hour today">
% for h in range(24):
%   a, m = t.answered[h], t.missed[h]
%   ha, hm = 100 * a / peak, 100 * m / peak
  <g><title>{{f'{h:02d}:00 – {a} answered, {m} missed'}}</title>
  <rect class="answered" x="{{h * 20 + 2}}" y="{{f"{110 - ha:.1f}"}}" width="16" height="{{f"{ha:.1f}"}}"></rect>
  <rect class="missed" x="{{h * 20 + 2}}" y="{{f"{110 - ha - hm:.1f}"}}" width="16" height="{{f"{hm:.1f}"}}"></rect></g>
%   if h % 3 == 0:
  <text x="{{h * 20 + 2}}" y="124">{{f'{h:02d}'}}</text>
%   end
% end
  <line x1="0" y1="110.5" x2="480" y2="110.5" stroke="#c3c4c7"></line>
</svg>
<p class="muted legend"><span class="swatch answered"></span> answered <span class="swatch missed"></span> missed · busiest hour {{t.peak}}</p>
