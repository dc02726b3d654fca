%% fb_sysdesc_tests - one test per refusal of the system description checker
%% (fb_terms + fb_sysdesc), each through the whole `image` command so that
%% the message format and "no image written" are checked too.
-module(fb_sysdesc_tests).
-include("fb_assert.hrl").

-define(BASE, "{pd, a, [{elf, \"a.elf\"}, {priority, 100}]}.\n"
              "{pd, b, [{elf, \"a.elf\"}, {priority, 50}]}.\n"
              "{region, buf, [{size, 8192}]}.\n"
              "{region, dev, [{size, 4096}, {paddr, 16#09000000}]}.\n").

%% The extra text starts on line 5.
bad(Extra, Reason) -> fb_test_lib:refuse(?BASE ++ Extra, 5, Reason).
pd(Opts, Reason) -> bad("{pd, c, [{elf, \"a.elf\"}, {priority, 1}" ++ Opts ++ "]}.\n", Reason).
map(Opts, Reason) -> bad("{map, a, buf, [" ++ Opts ++ "]}.\n", Reason).

%% ---- syntax and shape ----
syntax_error_test() -> bad("{pd, c, [{elf, \"a.elf\"}}.\n", "syntax error").
missing_full_stop_test() -> bad("{pd, c, []}\n", "full stop").
unterminated_string_test() ->
    fb_test_lib:refuse(?BASE ++ "%% a comment\n\n{pd, \"c}.\n", 7, "term not ended by a full stop").
expression_test() -> bad("{region, r, [{size, 1 bsl 12}]}.\n", "syntax error: bad term").
unknown_kind_test() -> bad("{process, c, []}.\n", "unknown term kind process").
not_a_tuple_test() -> bad("hello.\n", "unknown term kind").
wrong_arity_test() -> bad("{pd, c}.\n", "expected {pd, Name, Options}").
name_not_atom_test() -> bad("{region, \"r\", [{size, 4096}]}.\n", "must be an atom").
name_empty_test() -> bad("{region, '', [{size, 4096}]}.\n", "must be non-empty printable ASCII").
name_not_printable_test() -> bad("{pd, 'a\\tb', [{elf, \"a.elf\"}, {priority, 1}]}.\n", "must be non-empty printable ASCII").
name_not_ascii_test() -> bad("{pd, 'caf\\x{e9}', [{elf, \"a.elf\"}, {priority, 1}]}.\n", "must be non-empty printable ASCII").
options_not_list_test() -> bad("{region, r, {size, 4096}}.\n", "options must be a list").
unknown_pd_option_test() -> pd(", {colour, red}", "unknown option colour").
unknown_region_option_test() -> bad("{region, r, [{size, 4096}, {cached, true}]}.\n", "unknown option cached").
unknown_map_option_test() -> map("{vaddr, 16#20000000}, {perms, r}, {cache, wb}", "unknown option cache").
option_twice_test() -> pd(", {stack, 4096}, {stack, 8192}", "option stack given twice").
missing_elf_option_test() -> bad("{pd, c, [{priority, 1}]}.\n", "option elf is required").
missing_priority_test() -> bad("{pd, c, [{elf, \"a.elf\"}]}.\n", "option priority is required").
no_pd_test() -> fb_test_lib:refuse("{region, r, [{size, 4096}]}.\n", none, "at least one pd").

%% ---- names ----
unknown_pd_in_map_test() -> bad("{map, z, buf, [{vaddr, 16#20000000}, {perms, r}]}.\n", "unknown pd z").
unknown_region_in_map_test() -> bad("{map, a, zz, [{vaddr, 16#20000000}, {perms, r}]}.\n", "unknown region zz").
unknown_pd_in_channel_test() -> bad("{channel, {a, 0}, {z, 0}}.\n", "unknown pd z").
unknown_pd_in_irq_test() -> bad("{irq, 40, {z, 1}}.\n", "unknown pd z").
duplicate_pd_test() -> bad("{pd, a, [{elf, \"a.elf\"}, {priority, 1}]}.\n", "duplicate pd name a (first at line 1)").
duplicate_region_test() -> bad("{region, buf, [{size, 4096}]}.\n", "duplicate region name buf").
duplicate_device_other_size_test() ->
    bad("{region, dev, [{size, 8192}, {paddr, 16#09000000}]}.\n", "duplicate region name dev (first at line 4)").
duplicate_device_other_paddr_test() ->
    bad("{region, dev, [{size, 4096}, {paddr, 16#09001000}]}.\n", "duplicate region name dev (first at line 4)").

%% ---- pd options ----
priority_too_high_test() -> bad("{pd, c, [{elf, \"a.elf\"}, {priority, 255}]}.\n", "priority 255 is outside 0..254").
priority_negative_test() -> bad("{pd, c, [{elf, \"a.elf\"}, {priority, -1}]}.\n", "priority -1 is outside").
priority_not_int_test() -> bad("{pd, c, [{elf, \"a.elf\"}, {priority, high}]}.\n", "priority must be an integer").
elf_not_string_test() -> bad("{pd, c, [{elf, a}, {priority, 1}]}.\n", "elf must be a non-empty string").
stack_not_multiple_test() -> pd(", {stack, 5000}", "stack 5000 is not a multiple of 4096").
stack_zero_test() -> pd(", {stack, 0}", "stack 0 is outside").
stack_too_big_test() -> pd(", {stack, 16#1000000}", "stack 16777216 is outside 1..16773120").
max_threads_zero_test() -> pd(", {max_threads, 0}", "max_threads 0 is outside 1..4096").
max_threads_too_many_test() -> pd(", {max_threads, 4097}", "max_threads 4097 is outside 1..4096").
monitor_unknown_test() -> pd(", {monitor, nobody}", "unknown pd nobody").
monitor_itself_test() -> pd(", {monitor, c}", "cannot monitor itself").
%% "none" is a name like any other, not "no monitor"
pd_named_none_test() ->
    Dir = fb_test_lib:scratch(),
    ?assertMatch({0, _, _}, fb_test_lib:image(Dir, "{pd, none, [{elf, \"a.elf\"}, {priority, 1}]}.\n"
                                                   "{pd, b, [{elf, \"a.elf\"}, {priority, 1}, {monitor, none}]}.\n")).
monitor_none_unknown_test() -> pd(", {monitor, none}", "unknown pd none").
monitor_cycle_test() ->
    fb_test_lib:refuse("{pd, a, [{elf, \"a.elf\"}, {priority, 1}, {monitor, c}]}.\n"
                       "{pd, b, [{elf, \"a.elf\"}, {priority, 1}, {monitor, a}]}.\n"
                       "{pd, c, [{elf, \"a.elf\"}, {priority, 1}, {monitor, b}]}.\n", 1, "monitor cycle").
unknown_right_test() -> pd(", {rights, [poweroff, reboot]}", "unknown right reboot").
rights_not_list_test() -> pd(", {rights, poweroff}", "rights must be a list").

%% ---- regions ----
region_size_zero_test() -> bad("{region, r, [{size, 0}]}.\n", "size 0 is outside").
region_size_not_multiple_test() -> bad("{region, r, [{size, 5000}]}.\n", "size 5000 is not a multiple of 4096").
region_size_missing_test() -> bad("{region, r, []}.\n", "option size is required").
paddr_unaligned_test() -> bad("{region, r, [{size, 4096}, {paddr, 16#9000100}]}.\n", "paddr 16#9000100 is not page aligned").
paddr_in_ram_test() -> bad("{region, r, [{size, 4096}, {paddr, 16#40000000}]}.\n", "device memory must lie below RAM").
paddr_end_in_ram_test() -> bad("{region, r, [{size, 8192}, {paddr, 16#3FFFF000}]}.\n", "device memory must lie below RAM").
paddr_zero_test() -> bad("{region, r, [{size, 4096}, {paddr, 0}]}.\n", "paddr must be above 0").

%% ---- maps ----
vaddr_unaligned_test() -> map("{vaddr, 16#1234}, {perms, rw}", "{map,a,buf,[...]}: vaddr 16#1234 is not page aligned").
vaddr_below_window_test() -> map("{vaddr, 0}, {perms, rw}", "vaddr 16#0 is outside 16#1000..16#3EFF0000").
vaddr_in_stack_reserve_test() -> map("{vaddr, 16#3EFF0000}, {perms, rw}", "is outside 16#1000..16#3EFF0000").
vaddr_missing_test() -> map("{perms, rw}", "option vaddr is required").
map_end_in_stack_reserve_test() -> map("{vaddr, 16#3EFEF000}, {perms, rw}", "runs into the stack reserve").
map_overlap_test() ->
    fb_test_lib:refuse(?BASE ++ "{map, a, buf, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
                       "{map, a, dev, [{vaddr, 16#20001000}, {perms, rw}]}.\n", 6, "overlaps the map of buf at 16#20000000 (line 5)").
perms_rwx_test() -> map("{vaddr, 16#20000000}, {perms, rwx}", "writable and executable").
perms_wx_test() -> map("{vaddr, 16#20000000}, {perms, wx}", "writable and executable").
perms_w_test() -> map("{vaddr, 16#20000000}, {perms, w}", "must be r, rw or rx").
perms_string_test() -> map("{vaddr, 16#20000000}, {perms, \"rw\"}", "must be r, rw or rx").
rx_device_test() -> bad("{map, a, dev, [{vaddr, 16#20000000}, {perms, rx}]}.\n", "device region dev cannot be mapped rx").

%% ---- channels and irqs ----
channel_id_too_big_test() -> bad("{channel, {a, 63}, {b, 0}}.\n", "channel id 63 is outside 0..62").
channel_id_negative_test() -> bad("{channel, {a, 0}, {b, -1}}.\n", "channel id -1 is outside").
channel_bad_end_test() -> bad("{channel, a, {b, 0}}.\n", "is not {Pd, Id}").
channel_same_pd_test() -> bad("{channel, {a, 0}, {a, 1}}.\n", "both ends are in pd a").
channel_id_reused_test() ->
    fb_test_lib:refuse(?BASE ++ "{channel, {a, 0}, {b, 0}}.\n{channel, {a, 0}, {b, 1}}.\n", 6,
                       "pd a channel id 0 already used (line 5)").
channel_id_reused_by_irq_test() ->
    fb_test_lib:refuse(?BASE ++ "{channel, {a, 0}, {b, 7}}.\n{irq, 40, {b, 7}}.\n", 6,
                       "pd b channel id 7 already used (line 5)").
irq_too_low_test() -> bad("{irq, 31, {a, 1}}.\n", "irq 31 is outside 32..1019").
irq_too_high_test() -> bad("{irq, 1020, {a, 1}}.\n", "irq 1020 is outside 32..1019").
irq_claimed_twice_test() ->
    fb_test_lib:refuse(?BASE ++ "{irq, 40, {a, 1}}.\n{irq, 40, {b, 1}}.\n", 6, "irq 40 already claimed (line 5)").
irq_bad_trigger_test() -> bad("{irq, 40, {a, 1}, [rising]}.\n", "trigger must be [edge] or [level]").

%% ---- limits ----
too_many_pds_test() ->
    T = [io_lib:format("{pd, p~b, [{elf, \"a.elf\"}, {priority, 1}]}.~n", [I]) || I <- lists:seq(1, 33)],
    fb_test_lib:refuse(lists:flatten(T), 33, "more than 32 pd terms").
too_many_regions_test() ->
    T = [io_lib:format("{region, r~b, [{size, 4096}]}.~n", [I]) || I <- lists:seq(1, 65)],
    fb_test_lib:refuse(?BASE ++ lists:flatten(T), 4 + 63, "more than 64 region terms").
too_many_maps_test() ->
    T = [io_lib:format("{map, a, buf, [{vaddr, ~b}, {perms, r}]}.~n", [16#100000 + I * 16#2000])
         || I <- lists:seq(1, 129)],
    fb_test_lib:refuse(?BASE ++ lists:flatten(T), 4 + 129, "more than 128 map terms").
too_many_channels_test() ->
    T = [io_lib:format("{channel, {a, ~b}, {b, ~b}}.~n", [I rem 63, I rem 63]) || I <- lists:seq(1, 129)],
    fb_test_lib:refuse(?BASE ++ lists:flatten(T), 4 + 129, "more than 128 channel terms").
too_many_irqs_test() ->
    T = [io_lib:format("{irq, ~b, {a, ~b}}.~n", [40 + I, I]) || I <- lists:seq(1, 33)],
    fb_test_lib:refuse(?BASE ++ lists:flatten(T), 4 + 33, "more than 32 irq terms").

%% ---- pd args and env ----
args_not_list_test() -> pd(", {args, \"prog\"}", "args must be a list of strings").
args_atom_test() -> pd(", {args, [prog]}", "args must be a list of strings").
args_not_a_list_at_all_test() -> pd(", {args, prog}", "args must be a list of strings").
args_control_char_test() -> pd(", {args, [\"a\\tb\"]}", "args: \"a\\tb\" is not a string of printable characters").
args_nul_test() -> pd(", {args, [\"a\\0b\"]}", "is not a string of printable characters").
args_del_test() -> pd(", {args, [\"a\\177\"]}", "is not a string of printable characters").
args_empty_string_test() -> pd(", {args, [\"prog\", \"\"]}", "args: argument 1 is empty").
env_not_list_test() -> pd(", {env, \"A=1\"}", "env must be a list of strings").
env_no_equals_test() -> pd(", {env, [\"TERM\"]}", "env: \"TERM\" is not KEY=value with a non-empty KEY").
env_empty_key_test() -> pd(", {env, [\"=x\"]}", "env: \"=x\" is not KEY=value").
env_empty_test() -> pd(", {env, [\"\"]}", "is not KEY=value").
env_control_char_test() -> pd(", {env, [\"A=\\n\"]}", "env: \"A=\\n\" is not a string of printable characters").
args_option_twice_test() -> pd(", {args, []}, {args, [\"x\"]}", "option args given twice").
%% "p" NUL, 2045 x "x" NUL, the argv end (NUL): 2049 bytes
args_too_long_test() ->
    pd(", {args, [\"p\", \"" ++ lists:duplicate(2045, $x) ++ "\"]}",
       "args and env take 2049 bytes, more than 2048 (FB_MAX_ARGS_BYTES)").
env_too_long_test() ->
    pd(", {env, [\"K=" ++ lists:duplicate(2046, $v) ++ "\"]}", "args and env take 2050 bytes, more than 2048").

%% ---- region files ----
file(Extra, Reason, Files) -> fb_test_lib:refuse(?BASE ++ Extra, 5, Reason, Files).
region_file_missing_test() ->
    bad("{region, fs, [{file, \"nope.bin\"}]}.\n", "{region,fs,[...]}: file \"nope.bin\" not found (looked in: ").
region_file_unreadable_test() ->
    case os:cmd("id -u") of
        "0\n" ->  % root reads anything; a read error is still a read error
            bad("{region, fs, [{size, 4096}, {file, \"/proc/self/mem\"}]}.\n", "cannot read /proc/self/mem");
        _ ->
            Dir = fb_test_lib:scratch(),
            P = filename:join(Dir, "fs.bin"),
            ok = file:write_file(P, <<"data">>),
            ok = file:change_mode(P, 0),
            {1, Msg, _} = fb_test_lib:image(Dir, ?BASE ++ "{region, fs, [{file, \"fs.bin\"}]}.\n"),
            ?assertNotEqual(nomatch, string:find(Msg, "cannot read"))
    end.
region_file_too_big_test() ->
    file("{region, fs, [{size, 4096}, {file, \"fs.bin\"}]}.\n",
         "fs.bin: file of 4097 bytes does not fit in a region of 4096 bytes",
         [{"fs.bin", binary:copy(<<7>>, 4097)}]).
region_file_device_test() ->
    file("{region, fs, [{size, 4096}, {paddr, 16#09000000}, {file, \"fs.bin\"}]}.\n",
         "a device region (paddr) cannot have initial contents (file)", [{"fs.bin", <<1>>}]).
region_file_empty_test() ->
    file("{region, fs, [{file, \"fs.bin\"}]}.\n", "fs.bin: file is empty: give the region a size",
         [{"fs.bin", <<>>}]).
region_file_not_string_test() -> bad("{region, fs, [{file, fs}]}.\n", "file must be a non-empty string").
region_file_empty_name_test() -> bad("{region, fs, [{file, \"\"}]}.\n", "file must be a non-empty string").
region_dma_not_bool_test() -> bad("{region, d, [{size, 4096}, {dma, yes}]}.\n", "dma must be true or false").
region_dma_device_test() ->
    bad("{region, d, [{size, 4096}, {paddr, 16#0a000000}, {dma, true}]}.\n",
        "a device region (paddr) cannot be a DMA region (dma): DMA memory is RAM").
region_no_size_no_file_test() -> bad("{region, fs, [{paddr, 16#09000000}]}.\n", "option size is required (or file)").
region_file_bad_size_test() ->
    file("{region, fs, [{size, 100}, {file, \"fs.bin\"}]}.\n", "size 100 is not a multiple of 4096",
         [{"fs.bin", <<1>>}]).
%% {size, rest}: the rest of RAM, sized by the kernel at boot
rest_with_paddr_test() -> bad("{region, r, [{size, rest}, {paddr, 16#09000000}]}.\n", "size rest is RAM: it cannot have a paddr").
rest_with_file_test() ->
    file("{region, r, [{size, rest}, {file, \"fs.bin\"}]}.\n", "size rest cannot have initial contents (file)",
         [{"fs.bin", <<1>>}]).
rest_twice_test() ->
    fb_test_lib:refuse(?BASE ++ "{region, h1, [{size, rest}]}.\n{region, h2, [{size, rest}]}.\n", 6,
                       "a second region of size rest: at most one takes the rest of RAM").
rest_other_atom_test() -> bad("{region, r, [{size, all}]}.\n", "size must be an integer or rest").
rest_queue_test() ->
    fb_test_lib:refuse(?BASE ++ "{region, h, [{size, rest}]}.\n"
                       "{map, a, h, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
                       "{map, b, h, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
                       "{channel, qc, {a, 0}, {b, 0}, [{queue, h, [{depth, 1}, {slot, 8}]}]}.\n", 8,
                       "queue region h has size rest: a queue needs a fixed size").

%% the size taken from the file is the one the map checks use
region_file_size_used_by_maps_test() ->
    fb_test_lib:refuse(?BASE ++ "{region, fs, [{file, \"fs.bin\"}]}.\n"
                       "{map, a, fs, [{vaddr, 16#20000000}, {perms, r}]}.\n"
                       "{map, a, buf, [{vaddr, 16#20001000}, {perms, rw}]}.\n", 7,
                       "overlaps the map of fs at 16#20000000 (line 6)", [{"fs.bin", binary:copy(<<1>>, 4097)}]).

%% ---- named channels and queue pairs ----
%% buf (8192 bytes: halves of 4096) mapped rw by a and b; the channel term is line 7.
-define(QBASE, ?BASE ++ "{map, a, buf, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
                        "{map, b, buf, [{vaddr, 16#20000000}, {perms, rw}]}.\n").
q(Queue, Reason) ->
    fb_test_lib:refuse(?QBASE ++ "{channel, qc, {a, 0}, {b, 0}, [" ++ Queue ++ "]}.\n", 7, Reason).
q_ok(Extra) ->
    ?assertMatch({0, _, _}, fb_test_lib:image(fb_test_lib:scratch(), ?QBASE ++ Extra)).

channel_name_not_atom_test() -> bad("{channel, \"c\", {a, 0}, {b, 0}}.\n", "name \"c\" must be an atom").
channel_name_too_long_test() ->
    bad("{channel, abcdefghijklmnopqrstuvwxy, {a, 0}, {b, 0}}.\n", "name abcdefghijklmnopqrstuvwxy is longer than 24 characters").
pd_name_too_long_test() ->
    bad("{pd, abcdefghijklmnopqrstuvwxy, [{elf, \"a.elf\"}, {priority, 1}]}.\n", "is longer than 24 characters").
channel_name_24_ok_test() -> q_ok("{channel, abcdefghijklmnopqrstuvwx, {a, 0}, {b, 0}}.\n").
channel_duplicate_name_test() ->
    fb_test_lib:refuse(?BASE ++ "{channel, c, {a, 0}, {b, 0}}.\n{channel, c, {a, 1}, {b, 1}}.\n", 6,
                       "duplicate channel name c (first at line 5)").
channel_named_like_pd_test() -> q_ok("{channel, a, {a, 0}, {b, 0}}.\n{channel, buf, {a, 1}, {b, 1}}.\n").
channel_named_none_test() -> q_ok("{channel, none, {a, 0}, {b, 0}}.\n{channel, {a, 1}, {b, 1}}.\n").
channel_bad_options_test() -> bad("{channel, c, {a, 0}, {b, 0}, [{depth, 4}]}.\n", "channel options must be []").
channel_two_queues_test() ->
    q("{queue, buf, [{depth, 4}, {slot, 8}]}, {queue, buf, [{depth, 4}, {slot, 8}]}", "channel options must be []").
channel_wrong_arity_test() -> bad("{channel, c, {a, 0}, {b, 0}, [], x}.\n", "expected {channel, [Name,] {Pd, Id}, {Pd, Id}}").
queue_ok_test() -> q_ok("{channel, qc, {a, 0}, {b, 0}, [{queue, buf, [{slot, 8}, {depth, 64}]}]}.\n").
queue_unknown_region_test() -> q("{queue, nope, [{depth, 4}, {slot, 8}]}", "unknown region nope").
queue_device_region_test() ->
    fb_test_lib:refuse(?BASE ++ "{channel, qc, {a, 0}, {b, 0}, [{queue, dev, [{depth, 4}, {slot, 8}]}]}.\n", 5,
                       "queue region dev is device memory").
queue_depth_missing_test() -> q("{queue, buf, [{slot, 8}]}", "option depth is required").
queue_slot_missing_test() -> q("{queue, buf, [{depth, 4}]}", "option slot is required").
queue_unknown_option_test() -> q("{queue, buf, [{depth, 4}, {slot, 8}, {prio, 1}]}", "unknown option prio").
queue_depth_zero_test() -> q("{queue, buf, [{depth, 0}, {slot, 8}]}", "queue depth 0 is outside 1..4096").
queue_depth_too_big_test() -> q("{queue, buf, [{depth, 8192}, {slot, 8}]}", "queue depth 8192 is outside 1..4096").
queue_depth_not_pow2_test() -> q("{queue, buf, [{depth, 12}, {slot, 8}]}", "queue depth 12 is not a power of two").
queue_slot_small_test() -> q("{queue, buf, [{depth, 4}, {slot, 4}]}", "queue slot 4 is outside 8..65536").
queue_slot_big_test() -> q("{queue, buf, [{depth, 1}, {slot, 65544}]}", "queue slot 65544 is outside 8..65536").
queue_slot_not_multiple_test() -> q("{queue, buf, [{depth, 4}, {slot, 12}]}", "queue slot 12 is not a multiple of 8").
%% a half of buf is 4096 bytes: 128 + 16 * (16 + 232) = 4096 fits, slot 240 does not
queue_exact_fit_test() -> q_ok("{channel, qc, {a, 0}, {b, 0}, [{queue, buf, [{depth, 16}, {slot, 232}]}]}.\n").
queue_too_small_test() ->
    q("{queue, buf, [{depth, 16}, {slot, 240}]}",
      "queue region buf: a half of 4096 bytes is less than the 4224 that depth 16 and slot 240 need").
queue_not_mapped_test() ->
    fb_test_lib:refuse(?BASE ++ "{map, a, buf, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
                       "{channel, qc, {a, 0}, {b, 0}, [{queue, buf, [{depth, 4}, {slot, 8}]}]}.\n", 6,
                       "pd b maps queue region buf 0 times, not exactly once").
queue_mapped_twice_test() ->
    fb_test_lib:refuse(?QBASE ++ "{map, a, buf, [{vaddr, 16#21000000}, {perms, rw}]}.\n"
                       "{channel, qc, {a, 0}, {b, 0}, [{queue, buf, [{depth, 4}, {slot, 8}]}]}.\n", 8,
                       "pd a maps queue region buf 2 times, not exactly once").
queue_read_only_test() ->
    fb_test_lib:refuse(?BASE ++ "{map, a, buf, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
                       "{map, b, buf, [{vaddr, 16#20000000}, {perms, r}]}.\n"
                       "{channel, qc, {a, 0}, {b, 0}, [{queue, buf, [{depth, 4}, {slot, 8}]}]}.\n", 7,
                       "pd b maps queue region buf read-only").
queue_region_shared_test() ->
    fb_test_lib:refuse(?QBASE ++ "{channel, qc, {a, 0}, {b, 0}, [{queue, buf, [{depth, 4}, {slot, 8}]}]}.\n"
                       "{channel, qd, {a, 1}, {b, 1}, [{queue, buf, [{depth, 4}, {slot, 8}]}]}.\n", 8,
                       "queue region buf already carries a queue (line 7)").
