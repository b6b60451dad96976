"""Cases: each is one model (a single query)."""

HAND = {
"basic": r"""
select * from t
select id, a, s from t
select A, ID from t
select a as X, a as x from t
select a, a, a from t
select id, * from t
select t.* from t
select 1, 1, 2
select 42
select 2147483647, 2147483648, 9223372036854775807, 9223372036854775808, 170141183460469231731687303715884105727, 170141183460469231731687303715884105728
select -2147483648, -2147483649, -9223372036854775808
select 1.5, 1.50, 123456789012345678.5, 1e3, 1.5e-3, .5, 5.
select 'abc', 'it''s', E'a\nb', '' as empty
select true, false, null
select null::int, null as n
select 0x1F, 0b101
select 1_000_000
from t
from t select a
from t select a where a > 1
from t select count(*)
select * exclude (a, b) from t
select * exclude a from t
select * exclude (nope) from t
select * replace (a + 1 as a) from t
select * replace (s || 'x' as s, a * 2 as a) from t
select * rename (a as aa) from t
select * exclude (s) replace (a::varchar as a) from t
select t.* exclude (id) from t
select * from t, u
select t.*, u.* from t join u on t.id = u.t_id
select * exclude (id) from t join u on t.id = u.t_id
select columns('^d') from t
select columns('^[a-c]$') from t
select columns(c -> c like 's%') from t
select columns(['a', 'b']) from t
select columns(*) from t
select min(columns('^[ab]$')) from t
select columns('^[ab]$') + 1 from t
select columns('(a|b)') as 'x_\1' from t
select columns('nomatch') from t
select *columns('^[ab]$') from t
select columns(* exclude (s, s2, bl, uu, iv, tm, dt, ts, tstz, flag)) * 2 from t
select a, sum(b) from t group by all
select s, a, count(*) from t group by all
select a, b, sum(c) from t group by all order by all
select * from t order by all
select * from t order by all desc
select a, row_number() over (order by id) rn from t qualify rn = 1
select * from t qualify row_number() over (partition by a order by id) = 1
select a from t qualify a > 1
select a, count(*) from t group by a having count(*) > 1
select count(*) from t having count(*) > 0
select a + 1 as x from t where x > 1
select a + 1 as x, x * 2 as y from t
select a as x from t group by x
select a as x from t order by x
select distinct a, s from t
select distinct on (a) a, s from t order by a, s
select a from t limit 2 offset 1
select a from t limit 10%
select a from t using sample 1
select a from t tablesample 50%
select * from t as x(q, r)
select q from t as x(q)
select t1.a from t t1
select x.a from t as x
select t.a from t as x
""",
"joins": r"""
select * from t join u using (id)
select id from t join u using (id)
select t.id, u.id from t join u using (id)
select * from t natural join u
select id, dt from t natural join u
select * from t left join u on t.id = u.t_id
select u.name, u.k from t left join u on t.id = u.t_id
select t.id, u.k from t right join u on t.id = u.t_id
select t.id, u.k, t.n from t full join u on t.id = u.t_id
select id from t full join u using (id)
select id, k from t full outer join u using (id)
select * from t semi join u on t.id = u.t_id
select * from t anti join u on t.id = u.t_id
select u.k from t semi join u on t.id = u.t_id
select * from t cross join u
select * from t positional join u
select t.id, u.k from t positional join u
select * from ev asof join u on ev.id = u.id and ev.ts >= u.ts
select ev.k, u.name, u.k as uk from ev asof left join u on ev.id = u.id and ev.ts >= u.ts
select * from ev asof join u using (id, ts)
select * from t, lateral (select t.a + 1 as z) l
select t.id, l.z from t, lateral (select t.a * 2 as z) l
select * from t join lateral (select u.k from u where u.t_id = t.id) x on true
select t.id, x.k from t left join lateral (select u.k from u where u.t_id = t.id) x on true
select id from t, u
select t.id, u.id from t, u where t.id = u.t_id
select a from t join u on t.id = u.id
select name from t join u on t.id = u.id
select dt from t join u on t.id = u.id
select * from t join u on true
select * from t inner join u on t.id = u.id inner join nest on nest.id = t.id
select * from t join (select id as t_id from u) x using (t_id)
select * from t join t using (id)
select * from t t1 join t t2 using (id)
select id, t1.a, t2.a from t t1 join t t2 using (id)
select * from (select 1 as a) x natural join (select 2 as b) y
select * from t join u using (nope)
select t.a, u.id from t left join u on t.a = u.k
select coalesce(t.id, u.id) as i from t full join u on t.id = u.id
""",
"unnest": r"""
select unnest([1, 2, 3])
select unnest([1, 2, 3]) as x
select unnest(l) from nest
select unnest(l) as v, id from nest
select unnest(ls) from nest
select unnest(ll) from nest
select unnest(ll, recursive := true) from nest
select unnest(st) from nest
select unnest(sl) from nest
select unnest(sl, recursive := true) from nest
select unnest(sl, max_depth := 2) from nest
select unnest(lnn) from nest
select unnest(arr) from nest
select unnest([{'a': 1, 'b': 'x'}])
select unnest({'a': 1, 'b': 'x'})
select unnest([[1, 2], [3]])
select * from unnest([1, 2, 3])
select * from unnest([1, 2, 3]) as u(x)
select x from unnest([1, 2, 3]) as u(x)
select * from unnest([1, 2]) with ordinality
select unnest(generate_series(1, 3))
select unnest(range(3))
select unnest(l), unnest(ls) from nest
select id, unnest(l) + 1 from nest
select unnest(lnn) as x from nest
select generate_subscripts(l, 1) from nest
select flatten(ll) from nest
""",
"struct_list_map": r"""
select st.x, st.y from nest
select st['x'] from nest
select st.x + 1 from nest
select (st).x from nest
select nest.st.x from nest
select st.* from nest
select stn.x from nest
select l[1] from nest
select l[1:2] from nest
select l[-1] from nest
select ls[1] from nest
select arr[1] from nest
select ll[1][1] from nest
select lnn[1] from nest
select sl[1].k from nest
select sl[1].v[1] from nest
select {'a': 1, 'b': 'x'}
select {'a': 1, 'b': 'x'} as s
select {'a': 1, 'b': {'c': 2.5}}
select struct_pack(a := 1, b := 'x')
select row(1, 'a')
select (1, 'a')
select [1, 2, 3]
select [1, 2.5]
select [1, null]
select []
select [[1], [2, 3]]
select ['a', 'b']
select [1, 'a']
select list_value(1, 2)
select map {'a': 1, 'b': 2}
select map(['a', 'b'], [1, 2])
select map {1: 'x'}
select map()
select m['a'] from mp
select m from mp
select map_keys(m), map_values(m) from mp
select element_at(m, 'a') from mp
select cardinality(m) from mp
select [1, 2, 3]::int[3]
select array_value(1, 2, 3)
select e from nest
select e = 'a' from nest
select e::varchar from nest
select un from nest
select un.num from nest
select union_extract(un, 'str') from nest
select union_tag(un) from nest
select union_value(k := 1)
select j from nest
select j->'a' from nest
select j->>'a' from nest
select j->>'$.a' from nest
select json_extract(j, '$.a') from nest
select json_extract_string(j, '$.a') from nest
select j.a from nest
select json_array_length(j) from nest
select json_keys(j) from nest
select to_json(st) from nest
select json_object('a', 1)
select '{"a":1}'::json
select json_valid(j) from nest
select st.z from nest
select l.x from nest
select struct_extract(st, 'x') from nest
select struct_extract(st, 1) from nest
select struct_insert(st, z := 1) from nest
select {'x': 1} = {'x': 2}
select l = [1] from nest
select l || [4] from nest
select l || ls from nest
select list_concat(l, [1]) from nest
select array_length(l) from nest
select len(l) from nest
select length(l) from nest
select l @> [1] from nest
select list_contains(l, 1) from nest
select list_has_any(l, [1]) from nest
select 1 in (select unnest(l)) from nest
""",
"lambdas_lists": r"""
select list_transform(l, x -> x + 1) from nest
select list_transform(l, x -> x::varchar) from nest
select list_filter(l, x -> x > 1) from nest
select list_reduce(l, (a, b) -> a + b) from nest
select list_apply(ls, x -> upper(x)) from nest
select [x + 1 for x in l] from nest
select [x for x in l if x > 1] from nest
select list_transform(l, (x, i) -> x + i) from nest
select list_transform([1, 2], x -> x * 1.5)
select list_transform(l, lambda x: x + 1) from nest
select list_sort(l) from nest
select list_reverse_sort(ls) from nest
select list_distinct(l) from nest
select list_unique(l) from nest
select list_sum(l) from nest
select list_avg(l) from nest
select list_min(ls) from nest
select list_aggregate(l, 'sum') from nest
select list_aggregate(l, 'string_agg', ',') from nest
select list_slice(l, 1, 2) from nest
select list_position(l, 2) from nest
select list_zip(l, ls) from nest
select list_select(l, [1]) from nest
select list_where(l, [true]) from nest
select list_cosine_similarity([1.0, 2.0], [2.0, 3.0])
select list_any_value(l) from nest
select list_bool_and([true])
select list_first(l) from nest
select list_last(ls) from nest
select list_grade_up(l) from nest
select list_has_all(l, [1]) from nest
select array_to_string(ls, ',') from nest
select string_split('a,b', ',')
select str_split('a,b', ',')[1]
select string_to_array('a,b', ',')
select list_transform(l, x -> y) from nest
select list_transform(l, x -> x + id) from nest
select list_filter(l, x -> x) from nest
select list_reduce(l, (a, b) -> a || b) from nest
select apply(l, x -> x * 2) from nest
select list_transform(sl, x -> x.k) from nest
select list_transform(sl, x -> x.v) from nest
select range(5)
select range(1, 5)
select range(1, 10, 2)
select generate_series(1, 3)
select range(date '2024-01-01', date '2024-01-05', interval 1 day)
select range(timestamp '2024-01-01', timestamp '2024-01-05', interval 1 day)
select * from range(5)
select * from range(1, 5)
select range from range(3)
select * from generate_series(1, 3)
select generate_series from generate_series(1, 3)
select * from range(timestamp '2024-01-01', timestamp '2024-01-02', interval 1 hour)
select * from generate_series(date '2024-01-01', date '2024-01-03', interval 1 day)
select x.range from range(3) x
select r from range(3) as t(r)
""",
"strings": r"""
select upper(s), lower(s), length(s) from t
select s || 'x' from t
select s || a from t
select a || b from t
select concat(s, a, dt) from t
select concat_ws(',', s, s2) from t
select substring(s, 1, 2) from t
select substring(s from 1 for 2) from t
select substr(s, 2) from t
select left(s, 1), right(s, 1) from t
select trim(s), ltrim(s), rtrim(s) from t
select trim(both 'x' from s) from t
select position('a' in s) from t
select strpos(s, 'a') from t
select replace(s, 'a', 'b') from t
select regexp_matches(s, '^a') from t
select regexp_replace(s, 'a', 'b') from t
select regexp_replace(s, 'a', 'b', 'g') from t
select regexp_extract(s, '(a)', 1) from t
select regexp_extract(s, '(?<x>a)', ['x']) from t
select regexp_extract_all(s, 'a') from t
select regexp_split_to_array(s, ',') from t
select s like 'a%', s ilike 'A%', s not like 'b%' from t
select s similar to 'a.*' from t
select s glob 'a*' from t
select s ~ 'a' from t
select s !~~ 'a' from t
select s ^@ 'a' from t
select starts_with(s, 'a') from t
select contains(s, 'a') from t
select lpad(s, 5, '*'), rpad(s, 5, '*') from t
select repeat(s, 3) from t
select reverse(s) from t
select split_part(s, ',', 1) from t
select md5(s), sha256(s) from t
select hash(s) from t
select ascii(s), chr(65) from t
select format('{} {}', s, a) from t
select printf('%d', a) from t
select s[1] from t
select s[1:2] from t
select string_agg(s, ',') from t
select string_agg(s, ',' order by a) from t
select group_concat(s) from t
select listagg(s, ',') from t
select levenshtein(s, s2) from t
select jaro_winkler_similarity(s, s2) from t
select strlen(s) from t
select octet_length(bl) from t
select encode(s), decode(bl) from t
select base64(bl) from t
select to_base64(bl) from t
select uuid()
select gen_random_uuid()
select uu::varchar from t
select initcap(s) from t
select upper(a) from t
select lower(1)
select length(a) from t
select s + 1 from t
select s - 1 from t
select s * 2 from t
select '1' + 1
select '1.5' + 1
select 'a' = 1
select s = 1 from t
select s = a from t
select s > dt from t
select s = dt from t
select s < 1 from t
select s in (1, 2) from t
select a in ('1', '2') from t
select s between 1 and 2 from t
select a between '1' and 2 from t
select coalesce(s, 1) from t
select coalesce(a, '1') from t
select case when a > 1 then s else 1 end from t
select case when a > 1 then 'x' else 1 end from t
select case when a > 1 then 1 else 'x' end from t
select case a when 1 then 'one' when '2' then 'two' end from t
select nullif(s, 1) from t
select ifnull(a, s) from t
select greatest(a, s) from t
select greatest(a, '1') from t
select least(1, 2.5) from t
select if(a > 1, s, 1) from t
select if(a > 1, 'x', 1) from t
""",
"datetime": r"""
select dt + 1 from t
select dt - 1 from t
select dt + interval 1 day from t
select dt + interval '1 day' from t
select dt - dt from t
select ts - ts from t
select ts + interval 1 hour from t
select ts - interval 1 hour from t
select tstz + interval 1 hour from t
select dt + tm from t
select ts + tm from t
select dt - ts from t
select tm + interval 1 hour from t
select tm - tm from t
select iv * 2 from t
select iv / 2 from t
select iv + iv from t
select -iv from t
select date_trunc('month', dt) from t
select date_trunc('month', ts) from t
select date_trunc('month', tstz) from t
select date_part('year', dt) from t
select extract(year from dt) from t
select extract(epoch from ts) from t
select extract(second from ts) from t
select year(dt), month(dt), day(dt) from t
select dayofweek(dt), week(dt), quarter(dt) from t
select date_diff('day', dt, dt) from t
select datediff('day', ts, ts) from t
select date_sub('day', dt, dt) from t
select date_add(dt, interval 1 day) from t
select age(ts, ts) from t
select age(ts) from t
select strftime(ts, '%Y') from t
select strftime(dt, '%Y') from t
select strptime(s, '%Y') from t
select try_strptime(s, '%Y') from t
select to_timestamp(1)
select to_timestamp(c) from t
select epoch(ts), epoch_ms(ts) from t
select epoch_ms(b) from t
select make_date(2024, 1, 1)
select make_timestamp(2024, 1, 1, 0, 0, 0)
select make_time(1, 2, 3.5)
select current_date, current_timestamp, now()
select today()
select current_time
select last_day(dt) from t
select dayname(dt), monthname(dt) from t
select time_bucket(interval 1 hour, ts) from t
select time_bucket(interval 1 day, dt) from t
select date '2024-01-01'
select timestamp '2024-01-01 00:00:00'
select timestamptz '2024-01-01 00:00:00+00'
select time '10:00'
select interval 1 day
select interval '1 day 2 hours'
select interval (a) day from t
select to_days(a) from t
select to_hours(b) from t
select ts_s, ts_ms, ts_ns from ev
select ts_s + interval 1 day from ev
select ts_ms - ts_ms from ev
select ts_ns - interval 1 second from ev
select date_trunc('day', ts_s) from ev
select date_trunc('day', ts_ns) from ev
select ts_s = ts from ev
select ts_s < ts_ns from ev
select coalesce(ts_s, ts) from ev
select coalesce(ts_ns, ts_s) from ev
select greatest(ts_ms, ts) from ev
select case when id > 1 then ts_s else ts_ns end from ev
select ts_s::date, ts_ns::timestamp from ev
select extract(year from ts_ns) from ev
select epoch_ns(ts) from ev
select dt::timestamp from t
select dt = ts from t
select dt < ts from t
select coalesce(dt, ts) from t
select coalesce(ts, tstz) from t
select ts = tstz from t
select ts - tstz from t
select dt + 1.5 from t
select dt + a from t
select dt + b from t
select ts + 1 from t
select dt * 2 from t
select dt - '2024-01-01' from t
select dt > '2024-01-01' from t
select ts > '2024-01-01' from t
select dt - date '2024-01-01' from t
select dt + interval (a) day from t
select date_part(['year', 'month'], dt) from t
select strftime('%Y', dt) from t
select min(dt), max(ts) from t
select avg(dt) from t
select avg(ts) from t
select sum(iv) from t
select avg(iv) from t
select median(ts) from t
select quantile_cont(dt, 0.5) from t
select dt::varchar from t
select cast(ts as date) from t
select ts::time from t
select tstz::date from t
select tm::varchar from t
""",
"aggregates": r"""
select count(*) from t
select count(a) from t
select count(distinct a) from t
select count() from t
select sum(a), sum(b), sum(c), sum(d), sum(ti), sum(si), sum(hi), sum(ui), sum(f), sum(d2) from t
select avg(a), avg(b), avg(c), avg(d), avg(ti), avg(hi), avg(ui), avg(f), avg(d2) from t
select min(a), max(s), min(d), max(flag) from t
select sum(a) filter (where a > 1) from t
select count(*) filter (where a > 1) from t
select sum(distinct a) from t
select avg(distinct d) from t
select array_agg(a) from t
select array_agg(a order by b desc) from t
select list(a) from t
select list(distinct s) from t
select first(a), last(a) from t
select any_value(s) from t
select arg_max(s, a), arg_min(a, s) from t
select max_by(s, a) from t
select max(a, 2) from t
select min(s, 2) from t
select median(a), median(d), median(c) from t
select mode(a) from t
select stddev(a), variance(a), stddev_pop(d), var_samp(c) from t
select corr(a, b), covar_pop(a, c) from t
select quantile_cont(a, 0.5), quantile_disc(a, 0.5) from t
select quantile_cont(a, [0.25, 0.5]) from t
select approx_count_distinct(a) from t
select bool_and(flag), bool_or(flag) from t
select bit_and(a), bit_or(b), bit_xor(a) from t
select product(a) from t
select histogram(a) from t
select entropy(a), kurtosis(a), skewness(a) from t
select string_agg(distinct s, ',') from t
select sum(a) from t group by s
select a, sum(b) from t group by a
select a, sum(b) from t group by 1
select s, count(*) as cnt from t group by s order by cnt desc
select a from t group by b
select a, b from t group by a
select a + 1 from t group by a
select a + 1 from t group by a + 1
select a + b from t group by a + b
select count(*) from t where sum(a) > 1
select a from t where count(*) > 1
select sum(sum(a)) from t
select sum(a) from t group by sum(a)
select a, sum(b) from t group by grouping sets ((a), ())
select a, s, sum(b) from t group by rollup (a, s)
select a, s, sum(b) from t group by cube (a, s)
select a, grouping(a), sum(b) from t group by rollup (a)
select a, s, grouping_id(a, s) from t group by cube(a, s)
select s2, count(*) from t group by rollup (s2)
select n, sum(n) from t group by n
select n, min(n), max(n), count(n), sum(n) from t group by n
select min(n), max(n), sum(n) from t
select id, count(*) from t group by id
select sum(a) over () from t
select a, sum(b) over (partition by a) from t
select count(*) over () from t
select sum(n) over (partition by n) from t
select min(n) over (order by id rows between 1 following and 2 following) from t
select sum(b) filter (where a > 1) over () from t
select sum(n) filter (where a > 1) from t group by id
select id, sum(n) filter (where n > 100) from t group by id
select count(*) filter (where a > 1) from t group by s2
select id, min(n) from t left join u on t.id = u.t_id group by id
select t.id, max(u.k) from t left join u on t.id = u.t_id group by t.id
select t.id, count(u.k) from t left join u on t.id = u.t_id group by t.id
select avg(n) from t group by id
select n / 2, n // 2, n % 2 from t
select array_agg(n) from t group by id
select list(n) filter (where false) from t group by id
select first(n) from t group by id
select any_value(n) from t group by id
select arg_max(n, a) from t group by id
select arg_max(n, n) from t group by id
select string_agg(s2, ',') from t group by id
select bool_and(n > 1) from t group by id
select mode(n) from t group by id
select median(n) from t group by id
select stddev(n) from t group by id
select quantile_cont(n, 0.5) from t group by id
""",
"windows": r"""
select row_number() over () from t
select row_number() over (order by a) from t
select row_number() over (order by a) as rn from t
select rank() over (order by a), dense_rank() over (order by a) from t
select percent_rank() over (order by a), cume_dist() over (order by a) from t
select ntile(2) over (order by a) from t
select lag(a) over (order by id) from t
select lag(n) over (order by id) from t
select lag(n, 1, 0) over (order by id) from t
select lead(n, 1, n) over (order by id) from t
select lead(s, 2) over (order by id) from t
select first_value(a) over (order by id) from t
select first_value(n) over (order by id) from t
select last_value(n) over (order by id rows between current row and unbounded following) from t
select nth_value(n, 2) over (order by id) from t
select sum(a) over (order by id rows between 1 preceding and current row) from t
select sum(a) over (order by id range between unbounded preceding and current row) from t
select avg(c) over (partition by s order by id rows unbounded preceding) from t
select sum(n) over (order by id rows between 2 preceding and 1 preceding) from t
select count(*) over (order by id rows between 2 preceding and 1 preceding) from t
select max(n) over (order by id groups between 1 preceding and 1 following) from t
select sum(n) over (order by id rows between 1 preceding and 1 preceding exclude current row) from t
select sum(n) over (order by id rows between current row and current row exclude current row) from t
select sum(a) over w from t window w as (partition by s order by id)
select sum(a) over (w rows 1 preceding) from t window w as (order by id)
select row_number() from t
select lag(a) from t
select rank() over (order by a) filter (where a > 1) from t
select a from t where row_number() over () > 1
select row_number() over (order by a) + 1 from t
select sum(sum(a)) over () from t group by s
select s, sum(a), rank() over (order by sum(a)) from t group by s
select a, rank() over (order by b) from t group by a
select array_agg(a) over (order by id) from t
select list(n) over (order by id) from t
select ts, sum(val) over (order by ts range between interval 1 hour preceding and current row) from ev
select first(n order by id) from t
select quantile_cont(n, 0.5) over () from t
select row_number() over (partition by s2 order by n) as r from t qualify r = 1
select fill(a) over (order by id) from t
select sum(a) over (order by id rows between unbounded preceding and unbounded following) from t
select lead(n) over (partition by s2 order by id) from t
select lag(n, 0) over (order by id) from t
select first_value(n ignore nulls) over (order by id) from t
select first_value(a ignore nulls) over (order by id) from t
select lag(a ignore nulls) over (order by id) from t
""",
"casts": r"""
select a::varchar from t
select cast(a as bigint) from t
select try_cast(s as integer) from t
select try_cast(s as int) from t
select s::int from t
select a::decimal from t
select a::decimal(5,1) from t
select cast(a as numeric(20, 3)) from t
select a::double, a::float, a::real from t
select a::int1, a::int2, a::int4, a::int8, a::int16 from t
select a::string, a::text from t
select a::ubigint, a::usmallint, a::utinyint, a::uhugeint from t
select s::date, s::timestamp, s::time from t
select a::boolean from t
select 1::bool
select s::json from t
select s::blob from t
select s::uuid from t
select '[1,2]'::int[] from t
select a::int[] from t
select l::varchar[] from nest
select st::struct(x bigint, y varchar) from nest
select l::int[3] from nest
select arr::int[] from nest
select e::int from nest
select 'a'::enum_type
select a::varchar(10) from t
select a::char(3) from t
select a::bit from t
select a::bitstring from t
select a::timestamp with time zone from t
select ts::timestamp with time zone from t
select ts::timestamptz from t
select ts::timestamp_s, ts::timestamp_ms, ts::timestamp_ns from t
select ts::datetime from t
select ts::timestamp(3) from t
select a::double precision from t
select a::decimal(38, 10) from t
select a::decimal(39, 0) from t
select a::decimal(3, 5) from t
select 1::decimal(0)
select cast(null as varchar)
select a::interval from t
select s::interval from t
select try_cast(a as date) from t
select try_cast(s as decimal(10,2)) from t
select try(a / 0) from t
select typeof(a), typeof(s) from t
select pg_typeof(a) from t
select a::integer::varchar::double from t
select cast(a as mytype) from t
select cast(l as int) from nest
select cast(st as varchar) from nest
select ts::bigint from t
select dt::int from t
select flag::int from t
select s::map(varchar, int) from t
select a::union(x int, y varchar) from t
select (a)::varchar from t
select -a::varchar from t
select a :: varchar from t
select cast(a as varchar) as x from t
""",
"numeric": r"""
select a + b, a + c, a + d, a + ti, a + si, a + hi, a + ui, a + f from t
select a - b, a * b, a / b, a // b, a % b from t
select d + d, d * d, d / d, d - d2, d * d2, d + 1, d * 1.5, d + c from t
select d / 2, d // 2, d % 2, d2 % d from t
select ti + ti, si * si, ti * si, ti / ti, ti + 1, si + 1 from t
select ui + a, ui - ui, ui * b, ui + hi from t
select hi + hi, hi * d, hi / 2, hi + c from t
select f + f, f * 2, f + c, f + d from t
select a + 1.5, a * 1.5, b + 1.5, 1.5 + 1.5, 1.5 * 2.25 from t
select 1 + 1, 1 / 2, 1 // 2, 5 % 3, 2 ** 3, 2 ^ 3
select 100 * 100, 100000 * 100000, 127 + 1, 255 + 1, 32767 + 1
select 1.0 / 3, 10.5 * 2, 0.1 + 0.2
select abs(a), abs(d), abs(ti), sign(c), ceil(d), floor(c), round(d, 1), round(c), trunc(d) from t
select round(d), round(a, 1), round(ti), ceil(a), floor(a), ceil(f), floor(d2) from t
select sqrt(a), ln(c), log(a), log10(b), log2(d), exp(a), pow(a, 2), power(d, 2) from t
select mod(a, 2), mod(d, 2), gcd(a, b), lcm(a, b) from t
select a & b, a | b, a << 1, a >> 1, ~a, xor(a, b) from t
select -a, -d, -ti, +a, -ui, -hi from t
select a::decimal(10,2) * a::decimal(10,2) from t
select d * d * d * d from t
select cast(1 as decimal(38, 2)) * cast(1 as decimal(38, 2))
select d + d2, d - d2, d * d2, d / d2 from t
select sum(d) * 2, avg(d) * 2, sum(d) / count(*) from t
select d = c, d = a, d < 1.5, d = '1.5' from t
select coalesce(d, c), coalesce(d, a), coalesce(d, d2), coalesce(a, b), coalesce(ti, ui), coalesce(a, c) from t
select greatest(a, b, c), least(d, d2), greatest(ti, si), greatest(a, 1.5) from t
select case when a > 0 then a else b end, case when a > 0 then d else a end, case when a > 0 then d else c end from t
select case when a > 0 then 1 else 1.5 end, case when a > 0 then ti else ui end, case when a > 0 then d else d2 end from t
select ifnull(a, 0), nullif(a, 0), nullif(n, 0) from t
select a > b, a = c, flag = true, not flag, flag and a > 1, flag or null from t
select isnan(c), isinf(c), isfinite(c) from t
select random(), pi(), e()
select 9223372036854775807 + 1
select 2147483647 + 1
select 1e308 * 10
select a::decimal(18,3) + b::decimal(18, 0) from t
select 0.5::decimal(2, 1) + 100
select 123.456 + 1
select 123.456 * 123.456
select 12345678901234567890.123
select 1.23456789012345678901234567890123456789
select bit_count(a) from t
select factorial(5)
select a / 0, a // 0, a % 0 from t
select a + null, null + null, null * d from t
select even(c), trunc(c, 1), round_even(d, 1) from t
select a = 1 and b = 2 or c > 3 from t
select a is null, a is not null, a is distinct from b, a is not distinct from b from t
select a isnull, a notnull from t
select (a > 1) is true, flag is false from t
select a between 1 and 2, a not between 1 and 2 from t
select a in (1, 2), a not in (1, 2), a in (1, 2.5), a in (1, null) from t
select a = any(select k from u) from t
select a in (select k from u) from t
select exists (select 1 from u where u.t_id = t.id) from t
select (select max(k) from u) from t
select (select k from u limit 1) as x from t
select (select max(k) from u where u.t_id = t.id) from t
select (select k, id from u limit 1) from t
select a > all (select k from u) from t
select not exists (select * from u) from t
select a in (select k, id from u) from t
select n + 1, n * 2, -n, abs(n), n::varchar, n + a from t
select n / 0, n // 0, n % 0 from t
select sqrt(n), ln(n), log(n) from t
select n + 2147483647 from t
select ui - 1 from t
""",
"cte_setops": r"""
with x as (select a from t) select * from x
with x(y) as (select a from t) select y from x
with x as (select a from t), y as (select * from x) select * from y
with x as (select a from t) select a from x join x as x2 using (a)
with x as materialized (select a from t) select * from x
with recursive r(n) as (select 1 union all select n + 1 from r where n < 5) select * from r
with recursive r as (select 1 as n union all select n + 1 from r where n < 5) select n from r
with recursive r(n, s) as (select 1, 'a' union all select n + 1, s || 'a' from r where n < 5) select * from r
with recursive r(n) as (select 1 union all select n + 1.5 from r where n < 5) select * from r
with recursive r(n) as (select 1::bigint union all select n + 1 from r where n < 5) select * from r
with recursive r(n) as (select 1 union select n + 1 from r where n < 5) select * from r
with recursive r as (select id, 0 as depth from t union all select r.id, depth + 1 from r where depth < 3) select * from r
with recursive r(n) as (select 1 union all select n + 1 from r where n < 5) using key (n) select * from r
with x as (select 1 as a), x as (select 2 as a) select * from x
with x as (select 1 as a) select * from y
with x as (select 1 as a) select 1
select a from t union select b from t
select a from t union all select b from t
select a from t union all select c from t
select a from t union all select d from t
select d from t union all select d2 from t
select a from t union all select s from t
select s from t union all select a from t
select dt from t union all select ts from t
select ti from t union all select ui from t
select a, b from t union select a from t
select a as x from t union select b as y from t
select 1 as x union all select 'a'
select 1 union all select 2.5
select null union all select 1
select null union all select null
select [1] union all select [1.5]
select {'a': 1} union all select {'a': 'x'}
select a from t intersect select k from u
select a from t except select k from u
select a from t except all select k from u
select a from t intersect all select k from u
select a, s from t union by name select s, b from t
select * from t union all by name select * from u
select a from t union by name select b from t
select id, n from t union by name select id, k as n from u
select id from t union all by name select id from u
select n from t union all select n from t
select n from t union all select null
select n from t union select a from t
select n from t intersect select a from t
select n from t except select a from t
select id from t union all by name select k from u
(select a from t) union (select b from t) order by 1
select a from t union select b from t order by a
select a from t union select b from t order by b
select a from t union all select b from t limit 1
select * from (select a from t union all select b from t) x
values (1, 'a'), (2, 'b')
select * from (values (1, 'a'), (2, 'b')) v(x, y)
select * from (values (1, 'a'), (2, 'b'))
select col0, col1 from (values (1, 'a'))
select * from (values (1), (2.5)) v(x)
select * from (values (1), ('a')) v(x)
select * from (values (1), (null)) v(x)
select * from (values (1, 2), (3)) v(x, y)
select x from (values (1)) v(x)
select * from (values (1), (2)) v(x, y)
""",
"pivot": r"""
pivot p on q using sum(sales)
pivot p on q in ('Q1', 'Q2') using sum(sales)
pivot p on q in ('Q1', 'Q2') using sum(sales) group by region
pivot p on q in ('Q1', 'Q2') using sum(sales) as total, count(*) as cnt group by region
pivot p on yr in (2023, 2024) using sum(units)
pivot p on region, yr in ('east_2023') using sum(units)
pivot p on q in ('Q1' as first, 'Q2' as second) using sum(sales)
select * from p pivot (sum(sales) for q in ('Q1', 'Q2'))
select * from p pivot (sum(sales) as s for q in ('Q1', 'Q2'))
select * from p pivot (sum(sales) for q in ('Q1', 'Q2') group by region)
select * from (pivot p on q in ('Q1', 'Q2') using sum(sales) group by region)
select region, Q1 from (pivot p on q in ('Q1', 'Q2') using sum(sales) group by region)
select * from (pivot p on q in ('Q1', 'Q2') using sum(sales) group by region) x where x.Q1 > 1
unpivot p on sales, units into name k value v
unpivot p on columns(sales, units) into name k value v
unpivot p on sales, units
unpivot (select region, sales::double as sales, units::double as units from p) on sales, units into name k value v
unpivot (select region, yr, sales, units::decimal(10,2) as units from p) on sales, units into name k value v
select * from p unpivot (v for k in (sales, units))
select * from p unpivot include nulls (v for k in (sales, units))
select * from (select region, sales, units::decimal(10,2) as units from p) unpivot (v for k in (sales, units))
select k, v from (unpivot p on sales, units into name k value v)
unpivot p on columns(* exclude (region, yr, q)) into name k value v
pivot p on q in ('Q1') using sum(nope)
pivot p on nope in ('Q1') using sum(sales)
pivot p on q in ('Q1') using sum(sales) group by nope
select * from p pivot (sum(sales) for q in ('Q1', 'Q2')) as pv(r, y, a, b)
pivot p on q in ('Q1', 'Q2') using first(sales)
pivot p on q in ('Q1', 'Q2') using count(*)
pivot p on q in ('Q1', 'Q2') using sum(sales) + 1
pivot p on q in ('Q1', 'Q2') using max(region)
pivot p on q in ('Q1', null) using sum(sales)
pivot p on q in ('Q1', 'Q1') using sum(sales)
pivot p on q in ('Q 1', 'q1') using sum(units)
pivot p on yr in (2023) using sum(units) group by region, q
pivot p on q in ('Q1', 'Q2') using sum(units)
pivot p on region in ('east', 'west') using sum(sales) group by yr
select * from p pivot (sum(units) for yr in (2023, 2024))
""",
"errors": r"""
select nope from t
select t.nope from t
select x.a from t
select id from t, u
select id from t join u on t.id = u.id
select a from t join t t2 on true
select * from nope
select nope(a) from t
select sum(a, b) from t
select upper(a, b) from t
select substring(s) from t
select sum(s) from t
select avg(s) from t
select a + 'x' from t
select a + s from t
select dt + dt from t
select flag + 1 from t
select ts * 2 from t
select not a from t
select not s from t
select a and flag from t
select s and flag from t
select where
select a from t where a
select a from t where s
select a from t where 1
select a from t having a > 1
select a from t order by nope
select a from t group by nope
select a from t order by 5
select a from t group by 5
select id from t order by n
select distinct id from t order by n
select a from (select 1) x
select a from (select 1 as b)
select * from t where a = (select k, id from u)
select 1 from t join u
select a from t natural join t
select s[1][1] from t
select a[1] from t
select a.b from t
select l + 1 from nest
select st + 1 from nest
select l[1:2:3:4] from nest
select unnest(a) from t
select unnest(l) from nest where unnest(l) > 1
select unnest(l) from nest group by unnest(l)
select count(*) from t group by count(*)
select a, count(*) from t
select a, count(*) over () from t
select * from t limit 'a'
select * from t limit a
select 1 from t where exists (select nope)
select case when 1 then 2 end
select case when a then 2 end from t
select case when s then 2 end from t
select coalesce() from t
select coalesce(a, l) from t, nest
select cast(a) from t
select a between s and dt from t
select a in (s, dt) from t
select lambda_x from t
select list_transform(a, x -> x) from t
select list_transform(l) from nest
select x -> x + 1
select date_trunc(dt, 'month') from t
select date_diff('day', dt) from t
select strftime(a, '%Y') from t
select regexp_matches(a, 'x') from t
select length(dt) from t
select count(distinct *) from t
select sum(*) from t
select min(*) from t
select row_number(a) over () from t
select ntile() over () from t
select lag(a, 'x') over (order by id) from t
select sum(a) over (partition by nope) from t
select sum(a) over w from t
select a from t qualify count(*) > 1
select a from t window w as (order by id) window w as (order by a)
select * from t join u using (id, nope)
select t.* exclude (nope) from t
select * replace (1 as nope) from t
select * rename (nope as x) from t
select columns(x -> x like 'a') from t
select columns('[') from t
select columns(1) from t
select 1 from t group by all having a > 1
select a as x, b as x from t order by x
select a from t order by all, a
select a, b from t group by all having s = 'a'
select grouping(a) from t
select (select a from u) from t
select (select nope from u) from t
select * from t where a in (select * from u)
with recursive r as (select 1 as n union all select n + 1 from r) select nn from r
select id from (select * from t join u using (id))
select * from (select 1 as a, 2 as a)
select a from (select 1 as a, 2 as a)
select x from (select 1 as a) as q(x, y)
select id from t t1 join t t2 using (id) join u using (id)
select * from t asof join u on t.id = u.id
select * from t semi join u using (nope)
select unnest([1,2], recursive := 'x')
select struct_extract(st, 'nope') from nest
select st['nope'] from nest
select un.nope from nest
select e = 'zzz' from nest
select e = 1 from nest
select 1 = [1]
select [1] = ['a']
select {'a': 1} = {'b': 1}
select make_date(1)
select md5(1)
select array_length(a) from t
select l[s] from nest, t
select l['a'] from nest
select ls['x'] from nest
select st[1] from nest
select [1, 2][true]
select (1, 2).x
select s::int::date::struct(a int) from t
select cast(a as struct(x int)) from t
select cast(l as varchar[][]) from nest
select 'abc'::date
select '2024-13-01'::date
select cast('x' as int)
select 1::tinyint + 1000
select 1000::tinyint
select 300::utinyint
select 'a' || 1
select 1 || 2
select s || l from t, nest
select dt || 'x' from t
select list_value(1, 'a')
select map {'a': 1, 'b': 'x'}
select map {'a': 1, 1: 2}
""",
"odd": r"""
SELECT "a", "A" FROM t
select "A" from t
select t."a", "t".a from t
select "select" from (select 1 as "select")
select 1 as "weird name", 2 as "with""quote"
select a as "" from t
select a as "Ümlaut", s as "日本" from t
select 1 as select
select 1 as from
select 1 as order
select 1 as "order"
select a "x" from t
select a x from t
select count(*) as count from t
select sum(a) sum from t
select * from t where true
select * from t where null
select * from t where a = a
select (((((a))))) from t
select ((a + b)) * c from t
select a::varchar || '' from t
select -- comment
 a from t
select /* block */ a from t
select a from t;
select a from t -- trailing
select
  a
  from
  t
select $$dollar$$
select 'a' 'b'
select a FROM T
select A, Id, S2 from T
select T.A from t
select x.A from t X
select "T".a from t
select T.* from t
select t.* from t as T
select COUNT(*) from t
select Count(A) from t
select Sum(a) OVER (ORDER BY Id) from t
select #1 from t
select #2, #1 from t
select a, #1 from t order by #1
select * from t order by #2
select 1 from t order by 1
select 'x' from t group by 1
select s2 from t where s2 = 'a' and n > 0 or id = 1
select id::varchar || s2 from t
select distinct * from t
select * from (select * from (select * from (select * from t)))
select count(*) from (select distinct a from t)
select * from (select a from t) sub
select sub.a from (select a from t) sub
select sub.* from (select a, b from t) as sub
select * from (select a from t) as sub(z)
select * from t where id in (1, 2, 3)
select id in (1, 2, 3) as x from t
select id, (id) as id2, (id + 0) from t
select a, a from (select 1 as a)
select id from t order by id nulls first
select id from t order by id desc nulls last
select a from t limit null
select * from t limit 0
select * from t offset 1
""",
}


def generated():
    """Operator and function matrices over the column types of t."""
    out = []
    cols = ["id", "a", "b", "c", "d", "s", "dt", "ts", "tstz", "flag", "ti", "si", "hi", "ui", "f", "tm", "iv", "bl", "uu", "d2"]
    ops = ["+", "-", "*", "/", "//", "%", "=", "<", "||"]
    pairs = [("a", x) for x in cols] + [("d", x) for x in cols] + [("s", x) for x in cols] + [("dt", x) for x in cols] + [("ts", x) for x in cols] + [("ti", x) for x in ["ui", "si", "hi", "f", "tm", "iv"]] + [("uu", "s"), ("bl", "s"), ("iv", "tm"), ("tstz", "iv"), ("hi", "ui"), ("f", "d")]
    for op in ops:
        for l, r in pairs:
            out.append(f"select {l} {op} {r} from t")
    funcs1 = ["abs", "upper", "length", "sum", "avg", "min", "max", "count", "round", "ceil", "floor", "sqrt",
              "hash", "typeof", "to_json", "epoch", "year", "date_trunc('day', {})", "coalesce({}, NULL)",
              "list_value", "array_agg", "first", "string_agg", "any_value", "median", "mode", "stddev",
              "bit_count", "sign", "isnan", "lower", "trim", "md5", "strftime({}, '%Y')", "last_day",
              "{}::varchar", "try_cast({} as int)", "{} is null", "nullif({}, {})", "greatest({}, {})",
              "ifnull({}, {})", "if(true, {}, {})", "[{}]", "{{'k': {}}}", "quantile_cont({}, 0.5)",
              "arg_max({}, id)", "histogram", "list_distinct([{}])", "-{}", "not {}", "{} + 1", "{} - 1",
              "{} * 2", "{} / 2", "{} between {} and {}", "case when id > 1 then {} end",
              "sum(distinct {})", "count(distinct {})", "avg({}) over ()", "lag({}) over (order by id)",
              "entropy", "product", "bool_and", "bit_or", "fsum", "favg", "sumkahan", "kahan_sum", "bitstring_agg",
              "approx_quantile({}, 0.5)", "reservoir_quantile({}, 0.5)", "mad", "geomean", "var_pop",
              "date_part('year', {})", "extract(hour from {})", "dayname", "century", "epoch_ms", "make_date({}, 1, 1)",
              "to_timestamp", "lpad({}, 3, 'x')", "concat", "format('{{}}', {})", "ascii", "unicode", "bin", "hex",
              "to_base64", "from_base64", "octet_length", "bit_length", "ord", "gamma", "lgamma", "ln", "cbrt", "degrees",
              "radians", "signbit", "even", "round({}, 1)", "trunc"]
    for fn in funcs1:
        for col in cols:
            if "{" in fn:
                expr = fn.replace("{{", "\x00").replace("}}", "\x01").replace("{}", col).replace("\x00", "{").replace("\x01", "}")
            else:
                expr = f"{fn}({col})"
            out.append(f"select {expr} from t")
    nested = ["l", "ls", "st", "arr", "ll", "un", "e", "j", "sl", "lnn", "stn"]
    for fn in ["len", "list_sum", "list_sort", "unnest", "array_length", "to_json", "typeof", "{}[1]", "{}::varchar",
               "{} = {}", "{} is null", "min", "max", "count", "first", "array_agg", "coalesce({}, {})", "[{}]",
               "list_distinct", "flatten", "list_transform({}, x -> x)", "{}.x", "cardinality", "json_extract({}, '$.a')",
               "{} || {}", "hash", "list_contains({}, 1)", "upper", "{} + 1", "length", "array_to_string({}, ',')",
               "struct_extract({}, 'x')", "list_has_any({}, {})", "list_concat({}, {})", "{} > {}", "greatest({}, {})",
               "case when id > 1 then {} end", "distinct {}"]:
        for col in nested:
            if "{" in fn:
                expr = fn.replace("{}", col)
            else:
                expr = f"{fn}({col})"
            out.append(f"select {expr} from nest")
    return out


def all_cases():
    cases = []
    seen = set()
    for group, text in HAND.items():
        i = 0
        for line in text.strip("\n").split("\n"):
            pass
        # multi-line entries: lines starting with whitespace continue the previous one
        entries = []
        for line in text.strip("\n").split("\n"):
            if line.startswith(" ") and entries:
                entries[-1] += "\n" + line
            elif line.strip():
                entries.append(line)
        for sql in entries:
            if sql in seen:
                continue
            seen.add(sql)
            i += 1
            cases.append((f"{group}_{i:03d}", sql))
    i = 0
    for sql in generated():
        if sql in seen:
            continue
        seen.add(sql)
        i += 1
        cases.append((f"gen_{i:04d}", sql))
    return cases

HAND["nulls"] = r"""
select n from t group by rollup (n)
select n, sum(n) from t group by rollup (n)
select n, id from t group by cube (n, id)
select n, count(*) from t group by grouping sets ((n), ())
select n, s2 from t group by grouping sets ((n), (s2))
select id, sum(n) from t group by grouping sets ((id), ())
select sum(n) from t group by grouping sets (())
select sum(n) from t group by ()
select sum(n) from t group by all
select min(n), max(n), first(n), any_value(n), string_agg(s2, ',') from t group by all
select sum(n) from t having count(*) >= 0
select min(n) from t having true
select n, sum(n) from t group by n, rollup (id)
select n from t group by all having true
select n in (1, null) from t
select n in (1, a) from t
select n not in (1, null) from t
select n in (select a from t) from t
select n not in (select a from t) from t
select n = any (select a from t) from t
select n > all (select a from t) from t
select n between 1 and a from t
select n = a from t
select (select max(n) from t) as x from t
select (select n from t limit 1) as x
select (select count(*) from t) as x
select (select n from u where u.id = t.id) as x from t
select (select k from u where u.t_id = t.id limit 1) as x from t
select case when a > 0 then n end from t
select case n when 1 then n end from t
select if(a > 1, n, null) from t
select try_cast(n as tinyint) from t
select try_cast(s2 as int) from t
select try_cast(n as varchar) from t
select try(n // 0) from t
select n // 0 from t
select n % 0 from t
select mod(n, 0) from t
select try_strptime(s2, '%Y') from t
select [n][2] from t
select list_value(n)[2] from t
select lnn[1] from nest
select lnn[5] from nest
select list_extract(lnn, 1) from nest
select array_position(lnn, 5) from nest
select list_max(lnn), list_min(lnn), list_sum(lnn), list_avg(lnn) from nest
select list_first(lnn), list_last(lnn) from nest
select list_aggregate(lnn, 'min') from nest
select len(lnn), list_filter(lnn, x -> x > 1), list_transform(lnn, x -> x + 1) from nest
select unnest(lnn) from nest
select x from nest, unnest(lnn) as u(x)
select stn.x, stn.y from nest
select struct_extract(stn, 'x') from nest
select stn['x'] from nest
select json_extract_string(s2, '$.a') from t
select json_extract(s2, '$.a') from t
select to_json(s) from t
select str_split(s2, ',')[5] from t
select split_part(s2, ',', 5) from t
select regexp_extract(s2, '(z)', 1) from t
select s2[5] from t
select substring(s2, 5, 1) from t
select sqrt(n - 10), ln(n), log10(n), n / (n - n) from t
select sqrt(n) from t
select ln(n) from t
select acos(n) from t
select concat_ws(s, s2) from t
select concat_ws(',', s2, s) from t
select s2 || s from t
select nullif(s2, 'a') from t
select string_agg(s2, s) from t group by id
select stddev(n), var_samp(n), covar_samp(n, n), corr(n, n), kurtosis(n), skewness(n) from t group by id
select stddev_pop(n), var_pop(n), covar_pop(n, n), entropy(n), regr_slope(n, n), regr_count(n, n) from t group by id
select min(n) filter (where n > 100) from t group by id
select string_agg(s2, ',') filter (where n > 100) from t group by id
select count(n) filter (where n > 100), count(*) filter (where false) from t group by id
select arg_max(n, a) from t group by id
select arg_max(n, n) from t group by id
select max_by(s2, n) from t group by id
select first(n order by id), last(n) from t group by id
select first(a) from t group by id
select first_value(n) over (order by id rows between 1 following and 1 following) from t
select last_value(n) over (order by id rows between 2 preceding and 1 preceding) from t
select nth_value(n, 1) over (order by id) from t
select first_value(n) over (order by id) from t
select lead(n, 1, n) over (order by id) from t
select lag(n, 1, 0) over (order by id) from t
select lag(n, 1, a) over (order by id) from t
select min(n) over (order by id rows between 1 following and 2 following) from t
select min(n) over () from t
select min(n) over (order by id) from t
select sum(n) over (partition by id) from t
select max(n) over (order by id range between 1 following and 1 following) from t
select count(*) over (order by id rows between 5 following and 6 following) from t
select list(n) over (order by id rows between 5 following and 6 following) from t
select t.n from t full join u on t.id = u.t_id
select t.n from t right join u on t.id = u.t_id
select u.k from t left join u on t.id = u.t_id
select t.n, u.k from u left join t on t.id = u.t_id
select id from t right join u using (id)
select id from t left join u using (id)
select id, n, k from t full join u using (id)
select * from t natural full join u
select * from t natural left join u
select t.id, u.k from t positional join u
select t.n from u left join (t join nest on t.id = nest.id) on u.t_id = t.id
select x.n from u left join (select id, n from t) x on x.id = u.t_id
select x.n from u left join (select id, n, count(*) as c from t group by id, n) x on x.id = u.t_id
select x.c from u left join (select id, count(*) as c from t group by id) x on x.id = u.t_id
select ev.id, u.k from ev asof left join u on ev.id = u.id and ev.ts >= u.ts
select ev.id, u.k from ev asof join u on ev.id = u.id and ev.ts >= u.ts
select t.id, l.k from t left join lateral (select k from u where u.t_id = t.id) l on true
select t.id, l.k from t, lateral (select max(k) as k from u where u.t_id = t.id) l
select t.id, l.c from t, lateral (select count(*) as c from u where u.t_id = t.id) l
select id, n from t union all by name select id from u
select id from u union all by name select id, n from t
select n from t union all select a from t
select n from t union all select null
select * from (select n from t union all select k from u) x
with recursive r(i, m) as (select 1, 1 union all select i + 1, case when i > 2 then null else m end from r where i < 5) select * from r
with recursive r(i, m) as (select 1, 1 union all select i + 1, null from r where i < 5) select * from r
with x as (select n from t) select x.n from u left join x on x.n = u.k
with x as (select t.n from t left join u on t.id = u.t_id) select n from x
pivot p on q in ('Q1', 'Q2') using count(*) group by region
pivot p on q in ('Q1', 'Q2') using sum(yr) group by region
pivot p on q in ('Q1', 'Q2') using count(yr) group by region
pivot p on q in ('Q1', 'Q2') using first(region) group by yr
select * from p pivot (count(*) for q in ('Q1', 'Q2'))
select * from p pivot (sum(yr) for q in ('Q1', 'Q2'))
unpivot p on region, q into name k value v
select * from p unpivot (v for k in (region, q))
select * from p unpivot include nulls (v for k in (yr, units))
unpivot (select yr, units from p) on yr, units into name k value v
select * from (values (1), (null)) v(x)
select col0 from (values (1, null), (2, 3))
select col1 from (values (1, null), (2, 3))
select * from (values (1)) v(x) left join t on t.id = v.x
select x, t.n from (values (10)) v(x) left join t on t.id = v.x
select ordinality from unnest([1, 2]) with ordinality
select unnest(lnn) as x, generate_subscripts(lnn, 1) from nest
select count(*) + null from t
select greatest(n, a), least(n, a) from t
select coalesce(a, n), ifnull(a, n) from t
select n + a from t
select hash(a), typeof(a), a is null from t
select date_trunc('day', ts), strftime(ts, '%Y'), epoch(ts) from ev
select ts + interval (id) day from ev
select ts_s from ev
select k, count(val) from ev group by k
select k, min(val) from ev group by k
select k, min(ts), arg_min(id, ts), list(val) from ev group by k
select distinct on (k) k, ts from ev order by k, ts
select k from ev qualify row_number() over (partition by k order by ts) = 1
select k, sum(id) from ev group by k having sum(id) > 0
select k, max(ts) - min(ts) from ev group by k
select max(ts) - min(ts) from ev
select count(*), min(id) from ev
select min(id) from ev group by k
select max(id) over (partition by k) from ev
select avg(id) from ev group by k
select sum(id) / count(*) from ev group by k
select sum(id) / count(*) from ev
select list_sort(list(id)) from ev group by k
select element_at(map {'a': n}, 'b') from t
select map_extract(map {'a': n}, 'a') from t
select [n, a] from t
select {'x': n, 'y': a}.y from t
select {'x': n, 'y': a}.x from t
select ({'x': n}).x from t
select row(n, a) from t
select epoch_ms(n), to_timestamp(n), make_date(2024, 1, least(n, 28) + 1) from t
select n::decimal(2,0) from t
select try_cast(n as decimal(2, 0)) from t
select n::tinyint from t
select abs(n), sign(n), -n, ~n from t
select s2::int from t
select regexp_replace(s2, 'a', 'b'), upper(s2), length(s2), reverse(s2) from t
select left(s2, 1), lpad(s2, 3, 'x'), repeat(s2, n) from t
select md5(s2), sha256(s2), hash(s2), base64(s2::blob) from t
select s2 like 'a%', s2 ilike 'A%', contains(s2, 'a'), starts_with(s2, 'a') from t
select regexp_matches(s2, 'a'), regexp_full_match(s2, 'a'), s2 ~ 'a', s2 similar to 'a' from t
select n = n, n <> 1, n < 1, n is not distinct from a from t
select not (n = 1), n = 1 and a = 1, n = 1 or a = 1, n = 1 or true, n = 1 and false from t
select a = 1 or true, a = 1 and false, null or true, null and false from t
select coalesce(s, s2) || 'x', coalesce(a, 0) + 1 from t
"""

HAND["nulls2"] = r"""
select j->>'a' from jj
select j->'a' from jj
select j->>'$.a' from jj
select j->0 from jj
select j.a from jj
select json_extract(j, '$.a') from jj
select json_extract_string(j, '$.a') from jj
select json_array_length(j) from jj
select json_array_length(j, '$.b') from jj
select json_type(j) from jj
select json_keys(j) from jj
select j::int from jj
select j::varchar from jj
select j::int[] from jj
select cast(j as integer) from jj
select '{"a":1}'::json->>'b'
select 'null'::json::int
select year(d), month(d), day(d) from jj
select year(ts), hour(ts) from jj
select date_part('year', d) from jj
select extract(year from d) from jj
select extract(epoch from ts) from jj
select epoch(ts), epoch_ms(ts) from jj
select last_day(d) from jj
select date_diff('day', d, d) from jj
select datediff('day', ts, ts) from jj
select age(ts, ts) from jj
select week(d), quarter(d), dayofweek(d), isodow(d) from jj
select dayname(d), monthname(d) from jj
select strftime(d, '%Y') from jj
select date_trunc('month', d) from jj
select date_sub('day', d, d) from jj
select d - d from jj
select ts - ts from jj
select d + 1 from jj
select yearweek(d) from jj
select map(li, li) from jj
select map(l, l) from nest
select map(lnn, lnn) from nest
select li = li from jj
select li[1] from jj
select concat(li, li) from jj
select list_concat(li, li) from jj
select array_length(li) from jj
select cardinality(map(li, li)) from jj
select list_sort(li), list_distinct(li), list_reverse(li) from jj
select to_json(li) from jj
select len(li), length(li) from jj
select regexp_extract(j::varchar, '(z)', 1) from jj
select string_split(j::varchar, ',') from jj
select format('{}', j) from jj
select hash(j) from jj
select typeof(j) from jj
select j::varchar::json from jj
select li::varchar from jj
select d::varchar from jj
select ts::date from jj
select d::timestamp from jj
select ts::time from jj
select to_timestamp(id) from jj
select make_timestamp(id::bigint * 0 + 1000000) from jj
select epoch_ms(id::bigint) from jj
select strptime(d::varchar, '%Y-%m-%d') from jj
select round(id / 0) from jj
select id / 0 from jj
select trunc(id / 0) from jj
select abs(id / 0) from jj
select ceil(id / 0) from jj
select (id / 0)::bigint from jj
select sqrt(-id) from jj
select ln(id - id) from jj
select log(id - id) from jj
select pow(-id, 0.5) from jj
select (-id) ** 0.5 from jj
select date_trunc('day', ts) from jj
select time_bucket(interval 1 day, ts) from jj
select ts + interval 1 day from jj
select d + interval 1 day from jj
"""

HAND["nulls3"] = r"""
select map(l, l) as m from nest where id = 2
select map(ls, ls) as m from nest where id = 2
select j::int as x from jj where id = 2
select j::varchar[] as x from jj where id = 2
select cast(j as struct(a int)) as x from jj where id = 2
select j::double as x from jj where id = 2
select j::boolean as x from jj where id = 2
select j::json as x from jj where id = 2
select concat(l, l) as x from nest where id = 2
select list_concat(l, l) as x from nest where id = 2
select id, sum(n) from t group by id, ()
select sum(n) from t group by ((), ())
select sum(n) as s from t where false group by all
select count(*) as c, max(n) as m from t group by all
select max(n) as m from t qualify true group by all
select x from (select sum(n) as x from t group by ())
"""

HAND["syntax2"] = r"""
select * like 'a%' from t
select * ilike 'S%' from t
select * not like 'a%' from t
select * similar to 's.*' from t
select x: 42
select x: a, y: b from t
from x: t select x.a
select a, b, from t
select a, from t group by a,
select [1, 2].list_transform(x -> x + 1)
select l.list_transform(x -> x + 1) from nest
select s.upper() from t
select s.length() from t
select (s).upper() from t
select array[1, 2]
select array[a, b] from t
select array(select k from u)
select @(-1)
select @a from t
select count(*) filter (a > 1) from t
select integer '5'
select * from range(3) r(i), range(i) q(j)
select * from t, (select t.a + 1 as z) x
select t.id, x.z from t, (select t.a * 2 as z) x
select * from t where (a, b) = (1, 2)
select (a, b) = (1, 2) from t
select a between symmetric 2 and 1 from t
select s like any (['a%', 'b%']) from t
select columns(*)::varchar from t
select max(columns(* exclude (id))) from (select id, a, b from t)
select count(*) from t where columns(['a', 'b']) is not null
select * from t where columns('^[ab]$') > 0
select columns(c -> c in ('a', 'b')) from t
select columns(lambda c: c = 'a') from t
select columns('^(a|b)$') as "\1_x" from t
select (st).* from nest
select st.* exclude (x) from nest
select unnest(st) as q from nest
select * from t order by all nulls first
select a, count(*) from t group by all order by all
select a, count(*) from t group by all order by 2 desc
select distinct on (s2) * from t order by s2, id
select * from t limit 1 offset 1
select * from (values (1, 2)) as v(a, b)
from (values (1, 2)) v(a, b) select a
select * from t union all by name select * from t
select 1 as x union all by name select 2 as y
select a from t union by name select b as a from t
select a from t intersect by name select a from t
select a, b from t except by name select b, a from t
with x as (select * from t) from x
with x as (select * from t) select count(*) from x group by all
with x as not materialized (select a from t) select * from x
with recursive r(i) as (select 1 union all select i + 1 from r where i < 3) from r
select * from t positional join u positional join nest
select * from t natural join u natural join nest
select * from t cross join lateral (select t.a) l(z)
select * from t left join lateral (select u.k from u where u.t_id = t.id limit 1) l on true
select * from nest, unnest(nest.l) as x(v)
select * from nest, unnest(nest.l) x
select x from nest, unnest(nest.l) x
select v from nest, unnest(nest.l) with ordinality as x(v, o)
select * from nest cross join unnest(nest.ls) as y(s)
select * from t as x, lateral (select x.a) as y
select * from t join u using (id) join nest using (id)
select id from t join u using (id) join nest using (id)
select t.id, u.id, nest.id from t join u using (id) join nest using (id)
select * from t full join u using (id) full join nest using (id)
select * from ev asof join (select * from u) uu on ev.id = uu.id and ev.ts >= uu.ts
select * from ev asof right join u on ev.id = u.id and ev.ts >= u.ts
select * from ev asof full join u on ev.id = u.id and ev.ts >= u.ts
select * from t anti join u using (id)
select * from t semi join u using (id)
select * from t left semi join u on t.id = u.id
select * from t left anti join u on t.id = u.id
select * from t right semi join u on t.id = u.id
select * from t join u on t.id = u.id and t.a = u.k
select * from t join u on (t.id = u.id)
select struct_pack(a := 1).a
select {'a': 1}.a
select {'a': 1}['a']
select ({'a': 1}).*
select [1, 2, 3][2:]
select [1, 2, 3][:2]
select [1, 2, 3][-2:]
select [1, 2, 3][1:3:2]
select 'abc'[1]
select 'abc'[1:2]
select list_value(1, 2)[1]
select l[1:] from nest
select map {'a': 1}['a']
select map {'a': 1}.a
select e::varchar, e = 'a', e < 'b' from nest
select e || 'x' from nest
select enum_range(e) from nest
select enum_first(e), enum_last(e) from nest
select enum_code(e) from nest
select un::varchar from nest
select un = 1 from nest
select union_tag(un) = 'num' from nest
select arr[1], arr[2:3], len(arr), array_length(arr) from nest
select arr = [1, 2, 3] from nest
select array_cosine_similarity(arr::double[3], arr::double[3]) from nest
select array_distance(arr::float[3], [1.0, 2.0, 3.0]::float[3]) from nest
select list_cosine_similarity(l, l) from nest
select arr::varchar from nest
select [1, 2, 3]::integer[3]
select sl[1].k, sl[1].v from nest
select unnest(sl).k from nest
select (unnest(sl)).k from nest
select list_transform(sl, s -> s.k) from nest
select list_transform(sl, s -> s['k']) from nest
select list_filter(sl, s -> s.k = 'a') from nest
select [s.k for s in sl] from nest
select j->'$.a', j->>'$.b[0]', j->'b'->0 from nest
select json_extract(j, ['$.a', '$.b']) from nest
select json_extract_string(j, ['$.a']) from nest
select json_transform(j, '{"a": "INTEGER"}') from nest
select json_structure(j) from nest
select json_group_array(a) from t
select json_group_object(s, a) from t
select json_object('a', a, 'b', s) from t
select json_array(a, s) from t
select json_merge_patch(j, j) from nest
select j::struct(a int) from nest
select s::json->>'a' from t
select ts_s - ts_s, ts_ns - ts_ns from ev
select ts_ms + interval 1 hour from ev
select ts_s::timestamp_ns from ev
select date_diff('second', ts_s, ts_ns) from ev
select min(ts_ns), max(ts_s), min(ts_ms) from ev
select ts_ns > ts from ev
select ts_s union all select ts_ns from ev
select ts_s from ev union all select ts_ns from ev
select ts_ms from ev union all select ts from ev
select coalesce(ts_s, ts_ms) from ev
select ts_ns::date from ev
select epoch_ns(ts_ns) from ev
select strftime(ts_ns, '%Y') from ev
select make_timestamp_ns(1)
select make_timestamptz(2024, 1, 1, 0, 0, 0)
select to_timestamp(1)::timestamp_s
select current_localtimestamp()
select get_current_time()
select current_setting('threads')
select version()
select current_database(), current_schema()
select localtimestamp
select localtime
select current_timestamp
select current_date + 1
select now() - interval 1 day
select date_trunc('hour', now())
select date_part('dow', current_date)
select strftime(now(), '%Y')
"""

HAND["types2"] = r"""
select ti + ui, si + ui, a + ui, b + ui, hi + ui from t
select ti::utinyint + ti, ti::usmallint + si, a::ubigint + a, b::ubigint + b from t
select ti + 1::utinyint, si + 1::usmallint, a + 1::ubigint from t
select coalesce(ti, 1::utinyint), coalesce(si, 1::usmallint), coalesce(a, 1::uinteger), coalesce(b, 1::ubigint), coalesce(hi, 1::ubigint) from t
select coalesce(1::utinyint, 1::usmallint), coalesce(1::uinteger, 1::ubigint), coalesce(1::uhugeint, 1::hugeint), coalesce(1::ubigint, 1::hugeint)
select ui union all select a from t
select ui from t union all select ti from t
select ui from t union all select b from t
select 1::ubigint union all select 1::bigint
select 1::uhugeint union all select 1::hugeint
select 1::uhugeint + 1::hugeint
select 1::ubigint + 1::bigint
select 1::ubigint + 1::hugeint
select 1::utinyint + 1::tinyint
select f / f, f / 2, f / a, f // 2, f % 2, f * d, f + d, f - hi from t
select f + 1.5, f * 1.5, f / 1.5 from t
select c / 2, c // 2, c % 2 from t
select d / 2, d / d, d / a, d / c, d / f from t
select d // 2, d // d, d % d, d % a, d % c from t
select a / 2, a // 2, a % 2, ti / ti, ti // ti, ti % ti, hi / hi, hi // hi, hi % hi from t
select ui / 2, ui // 2, ui % 2, ui // ui from t
select a % 2.5, a % d, a % c from t
select sum(f), avg(f), min(f), sum(ui), avg(ui), sum(1::ubigint), sum(1::uhugeint), avg(1::uhugeint) from t
select sum(ti), sum(si), sum(a), sum(b), sum(hi), sum(flag::int), sum(c), sum(d), sum(d2), sum(1::decimal(38, 2)) from t
select avg(ti), avg(hi), avg(d), avg(1::decimal(38, 2)), avg(1::decimal(4, 1)) from t
select abs(f), round(f), round(f, 1), ceil(f), floor(f), sqrt(f), ln(f), power(f, 2), sign(f) from t
select round(d), round(d, 1), round(d, -1), round(d, a), ceil(d), floor(d), trunc(d), abs(d), sign(d) from t
select round(d2, 2), round(d2, 10), round(1.2345, 2), round(a, 1), round(b, -1), round(hi, 1) from t
select round(ui), round(ti), round(si), round(c), round(c, 1) from t
select -ui, -1::utinyint, abs(ui), abs(ti), abs(1::ubigint) from t
select 1.5 + 1, 1.5 * 1, 1.5 / 1, 1.5 - 1, 1.5 % 1, 1.5 // 1
select 1.25 + 1.125, 1.25 * 1.125, 1.25 - 1.125, 1.25 / 1.125
select 99.9 * 99.9, 999999999999999999.9 * 9.9, 0.000001 * 0.000001
select 1.5 + 2147483648, 1.5 + 9223372036854775808
select 1.5 + a, 1.5 + b, 1.5 + hi, 1.5 + ti, 1.5 + ui, 1.5 + c, 1.5 + f from t
select d + a, d + b, d + hi, d + ti, d + si, d + ui, d * b, d * hi from t
select d2 * d2, d2 * d2 * d2, d * d * d * d * d from t
select cast(1 as decimal(38, 10)) + cast(1 as decimal(38, 30)), cast(1 as decimal(20, 10)) * cast(1 as decimal(20, 10))
select cast(1 as decimal(4, 2)) + cast(1 as decimal(6, 5)), cast(1 as decimal(4, 2)) - cast(1 as decimal(6, 5))
select cast(1 as decimal(18, 0)) + 1, cast(1 as decimal(19, 0)) + 1, cast(1 as decimal(9, 0)) + 1
select cast(1 as decimal(4,1)) * 2147483648, cast(1 as decimal(4,1)) + 2147483648
select 2147483648 * 2, 9223372036854775807 * 2, 128 * 2, 32768 + 1
select 1 + 1::tinyint, 1::tinyint + 1::tinyint, 1::smallint * 1::tinyint
select 127::tinyint + 1, 1::tinyint + 1000, 1::tinyint + 100000
select ti + 1, si + 1, ti * 2, ti + 1000, si + 100000, ti + 1.5 from t
select ti + a, ti * b, si - hi from t
select 10 / 4, 10 // 4, 10 % 4, 10.0 / 4, -7 // 2, -7 % 2
select 1e1, 1e-1, 1E+2, 1.0e0, 0e0, 123e10
select 0.1, 00.10, 1.000, 100.0, 1.0 * 1.0
select 12345678901234567890, 123456789012345678901234567890, 1234567890123456789012345678901234567890
select -170141183460469231731687303715884105728, -170141183460469231731687303715884105729
select 340282366920938463463374607431768211455, 340282366920938463463374607431768211456
select 9223372036854775808, 18446744073709551615, 18446744073709551616
select -0, -0.0, +1, - 1, +-1
select 1::double, 1::float, 1::real, 1::float4, 1::float8, 1::numeric, 1::decimal(5), 1::dec(5, 2)
select 'a'::varchar(3), 'a'::char, 'a'::text, 'a'::string, 'a'::bpchar
select true + true
select true::int + 1, flag::int + 1 from t
select a / b, b / a, a / c, hi / d, d / hi from t
select greatest(1, 1.5), greatest(1, 2::bigint), greatest(d, d2), greatest(f, c), greatest(ti, ui), greatest(a, 'a')
select least(dt, ts), greatest(dt, ts), least(ts, tstz) from t
select coalesce(dt, ts), coalesce(ts, dt), coalesce(dt, '2024-01-01'), coalesce('2024-01-01', dt) from t
select coalesce(s, 'x'), coalesce(null, 1), coalesce(null, null), coalesce(1, 2.5), coalesce(1.5, 2)
select case when a > 1 then dt else ts end, case when a > 1 then ts else tstz end from t
select case when a > 1 then 1 end, case when a > 1 then null end, case when a > 1 then null else 1.5 end from t
select case when a > 1 then [1] else [1.5] end, case when a > 1 then {'x': 1} else {'x': 2.5} end from t
select case when a > 1 then l else [] end from nest, t
select if(a > 1, 1, 2.5), if(a > 1, d, c), if(a > 1, ti, ui) from t
select nullif(a, 1.5), nullif(1.5, a), nullif(d, c) from t
select ifnull(a, 1.5), ifnull(d, 1), ifnull(ti, si) from t
select [a, b], [a, c], [d, d2], [ti, ui], [dt, ts], [1, 1.5], [1.5, 1e1] from t
select [a, null], [null, a], [null], [null, null] from t
select {'x': a, 'y': [b]} from t
select [[1], [1.5]], [[1], []], [{'a': 1}, {'a': 2.5}]
select list_concat([1], [1.5]), list_concat([1], ['a']), [1] || [2.5]
select unnest([1, 1.5]), unnest([[1, 2.5]])
select list_sum([1, 2]), list_sum([1.5]), list_sum([1::tinyint]), list_avg([1, 2]), list_min(['a']), list_max([1.5])
select list_sum(l), list_avg(l), list_min(l), list_max(l), list_count(l), list_product(l) from nest
select list_sum([d]), list_avg([d]), list_sum([f]), list_sum([ui]) from t
select array_agg(d), array_agg(distinct ui), list(f), list(st) from t, nest
select min([1]), max({'a': 1})
select first(l), last(st), any_value(arr), min(e), max(un) from nest
select count(l), count(distinct st) from nest
select sum(d) over (), avg(d) over (), sum(ui) over (), avg(f) over () from t
select ntile(3) over (), row_number() over () * 1.5, rank() over () + 1::tinyint from t
select lag(d, 1, 0) over (), lag(a, 1, 1.5) over (), lead(s, 1, 'x') over () from t
select lag(a, 1, 'x') over () from t
select lag(ti, 1, 1000) over () from t
select first_value(d) over (), last_value(ti) over (), nth_value(f, 1) over () from t
select cume_dist() over (), percent_rank() over () from t
select a::varchar || a, a || a, a || 'x', 'x' || a, dt || dt, l || l from t, nest
select s || null, null || null, null || s from t
select concat(a, b), concat(l, l), concat(s), concat_ws('-', a, b), concat('a', 1, 1.5, null) from t, nest
select list_value(a, 'x'), list_value(1, 1.5), list_value(dt, ts), list_value() from t
select [1, 'a'], ['a', 1], [dt, '2024-01-01'], ['2024-01-01', dt] from t
select map {'a': 1.5, 'b': 1}, map {1: 'a', 2.5: 'b'}
select date '2024-01-01' - 1, date '2024-01-01' + 1::bigint, date '2024-01-01' + 1::tinyint
select dt + ti, dt + si, dt - si, dt + 1::smallint from t
select dt + interval 1 month, dt - interval 1 day, interval 1 day + dt from t
select dt + 1 + 1, 1 + dt from t
select dt - ts, ts - dt, dt - tstz, tstz - dt, tstz - ts from t
select tm + interval 1 hour, interval 1 hour + tm, tm - interval 1 hour from t
select dt + tm, tm + dt from t
select ts + iv, iv + ts, tstz - iv, dt + iv, dt - iv, tm + iv, tm - iv, iv - iv from t
select iv * 2, 2 * iv, iv * 1.5, iv / 2, iv / 1.5, iv * a, iv * c from t
select -ts from t
select age(dt), age(dt, dt), age(tstz) from t
select date_diff('day', dt, ts), date_diff('day', ts, tstz), date_sub('day', dt, ts) from t
select datediff('month', dt, dt), date_part('month', iv), extract(day from iv), extract(hour from tm) from t
select date_trunc('day', iv), date_trunc('hour', tm) from t
select dt::timestamptz, tstz::timestamp, tstz::time, ts::timestamp_ns, dt::timestamp_s from t
select to_timestamp(a), to_timestamp(c), to_timestamp(d) from t
select make_date(a, a, a), make_time(a, a, c), make_timestamp(b), make_timestamp(a, a, a, a, a, c) from t
select time_bucket(interval 1 hour, tstz), time_bucket(interval 1 hour, ts, interval 30 minute), time_bucket(interval 1 day, dt, dt) from t
select strftime(tstz, '%Y'), strftime(dt, '%Y'), strptime('2024', '%Y'), strptime('2024', ['%Y']) from t
select try_strptime('2024', '%Y'), strptime(s, '%Y')::date from t
select epoch_ms(ts), epoch_us(ts), epoch_ns(ts), epoch(dt), epoch(tstz), epoch_ms(tstz) from t
select epoch_ms(1), epoch_ms(1::bigint), epoch_ms(1.5), epoch_us(1), epoch_ns(1), epoch(1)
select to_epoch_ms(ts) from t
select range(1, 3), range(1::bigint, 3), range(1.5, 3)
select generate_series(1, 3), generate_series(dt::timestamp, dt::timestamp, interval 1 day), generate_series(1::hugeint, 3) from t
select range(dt, dt, interval 1 day), range(tstz, tstz, interval 1 day) from t
select list_grade_up(l), list_reverse(l), list_resize(l, 3), list_reverse_sort(l), array_sort(l), list_append(l, 1), list_prepend(1, l) from nest
select list_slice(l, 1, 2), list_position(ls, 'a'), list_indexof(l, 1), list_intersect(l, l), list_has_all(l, l) from nest
select flatten(ll), flatten([[1]]), list_unique(l), list_element(l, 1), list_extract(ls, 1) from nest
select array_pop_back(l), array_pop_front(l), list_zip(l, l), list_zip(l, ls, l) from nest
select string_split(s, ','), string_split_regex(s, ','), regexp_split_to_array(s, ','), str_split_regex(s, ',') from t
select regexp_extract(s, 'a'), regexp_extract(s, '(a)(b)', ['x', 'y']), regexp_extract_all(s, 'a', 0) from t
select regexp_matches(s, 'a', 'i'), regexp_replace(s, 'a', 'b', 'gi'), regexp_escape(s) from t
select sha1(s), md5_number(s), hash(a, s), xxhash64(s) from t
select left(s, a), right(s, b), lpad(s, b, 'x'), repeat(s, ti), substring(s, hi) from t
select bit_length(s), length_grapheme(s), strlen(s), octet_length(s::blob), ord(s), unicode(s) from t
select instr(s, 'a'), position('a' in s), strpos(s, 'a'), contains(s, 'a') from t
select lower(s) = 'a', upper(s) ilike 'A', s < 'b', s collate nocase = 'A' from t
select uu = uu, uu < uu, uu::varchar, gen_random_uuid() = uu, uuid_extract_version(uu), uuid_extract_timestamp(uu) from t
select bl || bl, bl = bl, length(bl), octet_length(bl), bl::varchar, encode(s), hex(bl), unhex('41'), from_hex('41') from t
select get_bit(bl, 0), set_bit('0101'::bit, 0, 1), bit_count('0101'::bit), '0101'::bit & '0011'::bit from t
select flag and null, flag or null, not flag, flag = null, flag is not true, flag::varchar from t
select count(*) > 0, count(*) = count(a), count(*) + 1, count(*) * 1.5, count(*)::int from t
select sum(a) / sum(b), sum(a)::double / count(*), avg(a) * 2, sum(d) / sum(d2) from t
select max(a) - min(a), max(dt) - min(dt), max(ts) - min(ts), max(tm) - min(tm) from t
select string_agg(a::varchar, ','), string_agg(s, ', ' order by s desc), string_agg(distinct s, ',') from t
select list(a order by b), list(distinct a order by a), array_agg(s order by a desc nulls last) from t
select count(distinct (a, b)), count((a, b)), count(distinct [a]) from t
select bit_and(ti), bit_or(si), bit_xor(ui), bool_and(flag), bool_or(a > 0), every(flag) from t
select arg_max(s, dt), arg_min(dt, a), arg_max(a, s, 2), min_by(a, b), max_by(s, ts) from t
select max(a, 2), min(s, 1), arg_max(a, b, 2) from t
select quantile(a, 0.5), quantile_disc(d, [0.5]), quantile_cont(d, 0.5), quantile_cont(c, [0.5]), percentile_cont(0.5) within group (order by a) from t
select mode(s), mode(d), mode(dt), median(d), median(ts), median(tm) from t
select histogram(s), histogram(dt), histogram(a, [1, 2]), histogram_exact(a, [1, 2]) from t
select approx_count_distinct(s), approx_quantile(d, [0.5]), approx_top_k(s, 2) from t
select regr_avgx(a, b), regr_r2(a, c), regr_sxx(a, b), regr_intercept(c, d), covar_samp(d, d), corr(f, f) from t
select stddev_samp(d), var_samp(d), variance(ti), stddev(hi), stddev(f), var_pop(ui) from t
select sum(a) filter (where flag), count(*) filter (where flag), avg(c) filter (where a > 0) from t
select first(a order by b desc), last(s order by a), any_value(d) from t
select count_if(a > 1), countif(flag), sum_no_overflow(a), favg(c), bitstring_agg(a, 1, 10) from t
"""

HAND["errors2"] = r"""
select * from t join u on sum(t.a) = 1
select a from t group by a order by b
select a from t group by a order by sum(b)
select count(*) from t order by a
select a from t order by sum(a)
select sum(row_number() over ()) from t
select sum(a) over (order by row_number() over ()) from t
select row_number() over (partition by sum(a)) from t
select a from t group by row_number() over ()
select a from t having row_number() over () > 1
select list_transform(l, x -> sum(x)) from nest
select list_transform(l, x -> row_number() over ()) from nest
select a from t limit -1
select a from t limit 1.5
select a from t limit (select 1)
select a from t offset 'x'
select a from t where a = any (select * from u)
select * from t where (a, b) in (select k from u)
select * from t where (a, b) in (select k, id from u)
select (a, b) = (1, 2, 3) from t
select distinct on (a) a, s from t order by s
select a from t union select b from t order by c
select s from t union all select a from t
select l from nest union all select st from nest
select st from nest union all select {'x': 1, 'z': 'a'}
select st from nest union all select {'x': 1}
select * from t, t
select * from t join t on true
select * from (select 1 as a) x, (select 1 as a) x
with x as (select 1 as a) select * from x, x
select x.* from (select 1 as a) x, (select 2 as b) x
select t.a from t join u t on true
select * from t as u join u using (id)
select u.name from t as u, u
select count(a, b) from t
select count(distinct a, b) from t
select sum(distinct) from t
select sum(a order by b) over () from t
select string_agg(s, ',', ',') from t
select string_agg(s, a) from t
select max(a, 'x') from t
select quantile_cont(a, 2) from t
select quantile_cont(a, b) from t
select ntile(0) over () from t
select ntile(a) over () from t
select lag(a, -1) over (order by id) from t
select lag(a, b) over (order by id) from t
select nth_value(a, 0) over (order by id) from t
select sum(a) over (order by id rows between a preceding and current row) from t
select sum(a) over (order by id range between 1 preceding and current row) from t
select sum(a) over (order by s range between 1 preceding and current row) from t
select sum(a) over (order by id, a range between 1 preceding and current row) from t
select sum(a) over (range between 1 preceding and current row) from t
select sum(a) over (order by id rows between current row and 1 preceding) from t
select sum(a) over (order by id rows between unbounded following and current row) from t
select sum(a) over (order by id groups between 1 preceding and current row) from t
select sum(a) over (groups between 1 preceding and current row) from t
select first_value(a) over (order by id exclude ties) from t
select unnest(l) over () from nest
select unnest(l) + unnest(unnest(ll)) from nest
select sum(unnest(l)) from nest
select unnest(l) from nest order by unnest(l)
select unnest(l) from nest having unnest(l) > 1
select list_transform(l, (x, y, z) -> x) from nest
select list_reduce(l, x -> x) from nest
select list_filter(l, x -> x + 1) from nest
select list_transform(l, 1) from nest
select list_sort(l, 'up') from nest
select list_sort(l, 'ASC', 'FIRST', 1) from nest
select array_length(l, 2) from nest
select l[1][1] from nest
select l['x'] from nest
select arr[1][1] from nest
select struct_pack(1)
select struct_pack(a := 1, a := 2)
select {'a': 1, 'a': 2}
select map {1: 2, null: 3}
select map([1], [2, 3])
select map(['a'], 1)
select union_value(a := 1, b := 2)
select union_extract(un, 'nope') from nest
select union_extract(un, 1) from nest
select json_extract(j, 1.5) from nest
select j->>1.5 from nest
select e = 'nope' from nest
select e::int from nest
select 'nope'::e from nest
select cast(e as enum('a')) from nest
select dt::time from t
select tm::date from t
select ts::interval from t
select l::int from nest
select st::int from nest
select st::struct(z int) from nest
select l::varchar from nest
select bl::int from t
select uu::int from t
select iv::int from t
select flag::date from t
select a::blob from t
select a::uuid from t
select a::json from t
select dt::int from t
select cast(a as int[3]) from t
select [1, 2]::int[3]
select '1'::int[3]
select extract(nope from dt) from t
select date_part('nope', dt) from t
select date_trunc('nope', dt) from t
select date_diff('nope', dt, dt) from t
select strftime(dt, 1) from t
select interval 'abc'
select interval 1 fortnight
select date 'abc'
select timestamp 'abc'
select time '25:00'
select uuid 'x'
select 1 is 1
select a is true from t
select s is true from t
select s is null and s from t
select not null
select -null, -true
select true > 1
select flag > 1 from t
select flag = 'yes' from t
select flag = 'x' from t
select a = true from t
select s in (select a from t) from t
select dt in (select a from t) from t
select exists (select 1, 2)
select * from t where exists (select * from u where u.nope = t.id)
select * from t where exists (select * from u where u.t_id = t.nope)
select (select a) from t
select (select t.a from u) from t
select (select sum(t.a) from u) from t
select (select sum(t.a + u.k) from u) from t
select a, (select count(*) from u where u.k = t.a) from t group by id
select * from t where a > (select avg(k) from u) group by a
select a from t where a in (1, 'x')
select a from t where a in ('x', 'y')
select a from t where s in (1, 2)
select 1 from t where flag in (1, 2)
select 1 from t where dt in ('2024-01-01', 1)
select coalesce(a, [1]) from t
select coalesce(dt, 1) from t
select coalesce(dt, tm) from t
select coalesce(flag, 1) from t
select coalesce(st, l) from nest
select case when true then dt else 1 end
select case when true then dt else tm end from t
select case when true then [1] else 1 end
select case a when 'x' then 1 end from t
select case s when 1 then 1 end from t
select case dt when 1 then 1 end from t
select greatest(dt, 1) from t
select greatest(l, 1) from nest
select least(flag, 1) from t
select if(a, 1, 2) from t
select if(s, 1, 2) from t
select if(true, dt, 1) from t
select nullif(dt, 1) from t
select nullif(s, dt) from t
select a like 'x' from t
select dt like '2024%' from t
select s like 1 from t
select l like 'x' from nest
select s ilike a from t
select s similar to a from t
select s glob 1 from t
select s ~ 1 from t
select regexp_matches(s, a) from t
select upper(dt) from t
select concat_ws(1, s) from t
select lpad(s, 's') from t
select substring(s, 'x') from t
select substring(s, 1.5) from t
select left(s, 'x') from t
select repeat(a, 2) from t
select replace(s, 1, 2) from t
select replace(a, '1', '2') from t
select trim(a) from t
select trim(s, 1) from t
select split_part(s, 1, 1) from t
select string_split(a, ',') from t
select starts_with(a, '1') from t
select contains(l, 1) from nest
select contains(s, 1) from t
select len(a) from t
select length(l, 1) from nest
select abs(s) from t
select abs(dt) from t
select round(s) from t
select round(a, 's') from t
select round(a, 1.5) from t
select sqrt(s) from t
select sqrt(dt) from t
select power(s, 2) from t
select mod(s, 2) from t
select mod(dt, 2) from t
select a % dt from t
select a / dt from t
select a * dt from t
select dt / 2 from t
select ts / ts from t
select iv * iv from t
select iv + 1 from t
select iv - dt from t
select iv / iv from t
select tm * 2 from t
select tm + tm from t
select tm + 1 from t
select tm - dt from t
select ts + ts from t
select ts - 1 from t
select tstz + 1 from t
select tstz + tstz from t
select dt + '1' from t
select dt + 1.0 from t
select dt + c from t
select dt + d from t
select dt + f from t
select dt + flag from t
select date_trunc('day', s) from t
select date_trunc('day', a) from t
select date_part('year', s) from t
select date_part('year', a) from t
select year(s) from t
select year(a) from t
select year(tm) from t
select hour(dt) from t
select last_day(ts), last_day(tm) from t
select date_diff('day', dt, s) from t
select date_diff('day', dt, a) from t
select date_diff('day', tm, tm) from t
select date_diff('day', dt, tm) from t
select age(dt, a) from t
select age(s) from t
select strftime(ts, a) from t
select strptime(a, '%Y') from t
select strptime(s, a) from t
select to_timestamp(s) from t
select to_timestamp(dt) from t
select epoch(s) from t
select epoch(a) from t
select make_date(s, 1, 1) from t
select make_date(dt) from t
select time_bucket(1, ts) from t
select time_bucket(interval 1 day, s) from t
select time_bucket(interval 1 day, a) from t
select sum(dt) from t
select sum(ts) from t
select sum(flag) from t
select sum(bl) from t
select sum(uu) from t
select sum(l) from nest
select sum(st) from nest
select sum(e) from nest
select sum(j) from nest
select avg(flag) from t
select avg(bl) from t
select avg(l) from nest
select avg(e) from nest
select avg(tm) from t
select min(l), max(st), min(e), max(j), min(un) from nest
select stddev(s) from t
select stddev(dt) from t
select corr(s, a) from t
select bit_and(s) from t
select bit_and(c) from t
select bit_or(d) from t
select bool_and(a) from t
select bool_or(s) from t
select product(s) from t
select product(dt) from t
select median(l) from nest
select mode(l) from nest
select quantile_cont(s, 0.5) from t
select quantile_cont(flag, 0.5) from t
select quantile_disc(s, 0.5) from t
select histogram(l) from nest
select string_agg(a, ',') from t
select string_agg(l, ',') from nest
select list_sum(s) from t
select list_sum(ls) from nest
select list_avg(ls) from nest
select list_sort(a) from t
select list_distinct(a) from t
select list_contains(l, 'a') from nest
select list_contains(ls, 1) from nest
select list_position(l, 'a') from nest
select array_to_string(a, ',') from t
select flatten(l) from nest
select flatten(a) from t
select unnest(s) from t
select unnest(dt) from t
select generate_series(s) from t
select range(dt, dt, 1) from t
select range(1, 10, dt) from t
select range(s) from t
select * from range(s)
select * from range(1.5)
select * from generate_series(dt, dt)
select * from unnest(a)
select * from unnest(1)
select json_extract(a, '$.x') from t
select json_extract(dt, '$.x') from t
select to_json() from t
select json_object('a') from t
select json_object(1, 2) from t
select struct_extract(a, 'x') from t
select struct_extract(l, 'x') from nest
select map_keys(st) from nest
select map_keys(l) from nest
select element_at(l, 'a') from nest
select element_at(st, 'x') from nest
select cardinality(a) from t
select union_tag(a) from t
select union_tag(st) from nest
select enum_range(a) from t
select enum_range(s) from t
select enum_first(l) from nest
select md5(a) from t
select md5(l) from nest
select hash() from t
select typeof() from t
select coalesce(*) from t
select greatest() from t
select least(1) from t
select concat() from t
select list_value(1, [1]) from t
select [1, [1]] from t
select [st, l] from nest
select [dt, a] from t
"""
