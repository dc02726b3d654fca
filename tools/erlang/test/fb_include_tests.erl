%% fb_include_tests - the include mechanism of system descriptions
%% (fb_include): what an include with parameters composes is exactly what the
%% same terms written out give, and every refusal (a missing or malformed
%% include, a cycle, parameters unknown, missing or misused) names its file
%% and line, through the whole `image` command.
-module(fb_include_tests).
-include("fb_assert.hrl").

-define(PD_A, "{pd, a, [{elf, \"a.elf\"}, {priority, 100}]}.\n").

%% A template of a PD with a ring: name and vaddr required, priority and
%% more options with defaults, the args spliced after a fixed first one.
-define(TEMPLATE,
        "%% a template\n"
        "{params, [name, vaddr, {priority, 50}, {options, []}, {args, []}]}.\n"
        "{pd, {param, name}, [{elf, \"a.elf\"}, {priority, {param, priority}}, {splice, options},\n"
        "                     {args, [\"prog\", {splice, args}]}]}.\n"
        "{region, ring, [{size, 4096}]}.\n"
        "{map, {param, name}, ring, [{vaddr, {param, vaddr}}, {perms, rw}]}.\n").

%% The image of Text in a fresh scratch directory holding Files.
image(Text, Files) -> image(Text, Files, []).
image(Text, Files, Extra) ->
    Dir = fb_test_lib:scratch(),
    [ok = file:write_file(filename:join(Dir, N), B) || {N, B} <- Files],
    {St, Msg, Out} = fb_test_lib:image(Dir, Text, Extra),
    ?assertEqual({0, "image: "}, {St, lists:sublist(Msg, 7)}),
    {ok, Img} = file:read_file(Out),
    Img.

%% A refusal whose message starts with "DIR/File:Line: " and holds Reason.
refuse_in(File, Line, Text, Reason, Files) ->
    Dir = fb_test_lib:scratch(),
    [ok = file:write_file(filename:join(Dir, N), B) || {N, B} <- Files],
    {St, Msg, Out} = fb_test_lib:image(Dir, Text),
    Prefix = filename:join(Dir, File) ++ ":" ++ integer_to_list(Line) ++ ": ",
    ?assertEqual({1, Prefix}, {St, lists:sublist(Msg, length(Prefix))}),
    ?assertNotEqual(nomatch, string:find(Msg, Reason)),
    ?assertNot(filelib:is_file(Out)),
    Msg.

%% ---- what an include composes ----
plain_include_is_the_same_image_test() ->
    Part = "{region, buf, [{size, 8192}]}.\n{map, a, buf, [{vaddr, 16#20000000}, {perms, r}]}.\n",
    ?assertEqual(image(?PD_A ++ Part, []),
                 image(?PD_A ++ "{include, \"part.config\"}.\n", [{"part.config", Part}])).

template_with_defaults_test() ->
    Flat = ?PD_A ++ "{pd, b, [{elf, \"a.elf\"}, {priority, 50}, {args, [\"prog\"]}]}.\n"
        "{region, ring, [{size, 4096}]}.\n"
        "{map, b, ring, [{vaddr, 16#20000000}, {perms, rw}]}.\n",
    ?assertEqual(image(Flat, []),
                 image(?PD_A ++ "{include, \"t.config\", [{name, b}, {vaddr, 16#20000000}]}.\n",
                       [{"t.config", ?TEMPLATE}])).

template_with_bindings_and_splices_test() ->
    Flat = ?PD_A ++ "{pd, b, [{elf, \"a.elf\"}, {priority, 7}, {monitor, a}, {args, [\"prog\", \"-x\", \"y\"]}]}.\n"
        "{region, ring, [{size, 4096}]}.\n"
        "{map, b, ring, [{vaddr, 16#30000000}, {perms, rw}]}.\n",
    Inc = "{include, \"t.config\", [{name, b}, {vaddr, 16#30000000}, {priority, 7},\n"
          "                       {options, [{monitor, a}]}, {args, [\"-x\", \"y\"]}]}.\n",
    ?assertEqual(image(Flat, []), image(?PD_A ++ Inc, [{"t.config", ?TEMPLATE}])).

%% A template including another passes its own parameters on; the same
%% file may be included twice (not a cycle).
nested_and_repeated_includes_test() ->
    Outer = "{params, [{v, 16#20000000}]}.\n"
            "{include, \"t.config\", [{name, b}, {vaddr, {param, v}}]}.\n",
    Flat = ?PD_A ++ "{pd, b, [{elf, \"a.elf\"}, {priority, 50}, {args, [\"prog\"]}]}.\n"
        "{region, ring, [{size, 4096}]}.\n"
        "{map, b, ring, [{vaddr, 16#24000000}, {perms, rw}]}.\n"
        "{region, buf, [{size, 4096}]}.\n{map, a, buf, [{vaddr, 16#20000000}, {perms, r}]}.\n"
        "{region, buf2, [{size, 4096}]}.\n{map, a, buf2, [{vaddr, 16#21000000}, {perms, r}]}.\n",
    Part = "{params, [r, v]}.\n{region, {param, r}, [{size, 4096}]}.\n"
           "{map, a, {param, r}, [{vaddr, {param, v}}, {perms, r}]}.\n",
    ?assertEqual(image(Flat, []),
                 image(?PD_A ++ "{include, \"outer.config\", [{v, 16#24000000}]}.\n"
                       "{include, \"part.config\", [{r, buf}, {v, 16#20000000}]}.\n"
                       "{include, \"part.config\", [{r, buf2}, {v, 16#21000000}]}.\n",
                       [{"t.config", ?TEMPLATE}, {"outer.config", Outer}, {"part.config", Part}])).

%% A top-level file with params: the defaults, so a template whose
%% parameters all have one is a description of its own too.
top_level_defaults_test() ->
    ?assertEqual(image(?PD_A, []),
                 image("{params, [{n, a}, {p, 100}]}.\n{pd, {param, n}, [{elf, \"a.elf\"}, {priority, {param, p}}]}.\n",
                       [])).

%% A relative include not next to the including file is looked for in
%% each --search folder.
include_found_by_search_test() ->
    Dir = fb_test_lib:scratch(),
    Sub = filename:join(Dir, "parts"),
    ok = filelib:ensure_dir(filename:join(Sub, "x")),
    ok = file:write_file(filename:join(Sub, "part.config"), "{region, buf, [{size, 8192}]}.\n"),
    {St, Msg, _} = fb_test_lib:image(Dir, ?PD_A ++ "{include, \"part.config\"}.\n", ["--search", Sub]),
    ?assertEqual({0, "image: "}, {St, lists:sublist(Msg, 7)}).

%% ---- refusals of the include term ----
missing_file_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"nope.config\"}.\n", 2, "\"nope.config\" not found").
file_not_string_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, nope}.\n", 2, "must be a non-empty string").
include_wrong_shape_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"a\", [], x}.\n", 2, "expected {include, File} or").
bindings_not_list_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"t.config\", {name, b}}.\n", 2,
                       "must be a list of {Param, Value}", [{"t.config", ?TEMPLATE}]).
binding_not_pair_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"t.config\", [name]}.\n", 2, "name is not {Param, Value}",
                       [{"t.config", ?TEMPLATE}]).
binding_twice_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"t.config\", [{name, b}, {name, c}]}.\n", 2,
                       "parameter name given twice", [{"t.config", ?TEMPLATE}]).
unknown_parameter_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"t.config\", [{name, b}, {vaddr, 16#20000000}, {colour, red}]}.\n", 2,
                       "unknown parameter colour (it takes: args, name, options, priority, vaddr)",
                       [{"t.config", ?TEMPLATE}]).
parameter_of_a_file_without_params_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"p.config\", [{x, 1}]}.\n", 2,
                       "unknown parameter x (the file declares no params)",
                       [{"p.config", "{region, buf, [{size, 8192}]}.\n"}]).
missing_parameter_test() ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"t.config\", [{name, b}]}.\n", 2,
                       "parameter vaddr has no value", [{"t.config", ?TEMPLATE}]).
top_level_missing_parameter_test() ->
    fb_test_lib:refuse("{params, [n]}.\n{pd, {param, n}, [{elf, \"a.elf\"}, {priority, 1}]}.\n", none,
                       "parameter n has no value").

%% ---- cycles ----
self_include_test() ->
    Dir = fb_test_lib:scratch(),
    {1, Msg, _} = fb_test_lib:image(Dir, ?PD_A ++ "{include, \"s.config\"}.\n"),
    ?assertNotEqual(nomatch, string:find(Msg, "include cycle: ")).
cycle_test() ->
    Msg = refuse_in("b.config", 1, ?PD_A ++ "{include, \"a.config\"}.\n", "include cycle: ",
                    [{"a.config", "{include, \"b.config\"}.\n"}, {"b.config", "{include, \"a.config\"}.\n"}]),
    ?assertNotEqual(nomatch, string:find(Msg, "a.config -> ")),
    ?assertNotEqual(nomatch, string:find(Msg, "b.config -> ")).

%% ---- refusals inside an included file: its name and line, and the chain ----
syntax_error_in_included_file_test() ->
    refuse_in("p.config", 2, ?PD_A ++ "{include, \"p.config\"}.\n", "syntax error",
              [{"p.config", "%% x\n{region, buf, [{size, 4096}}.\n"}]).
error_in_included_term_test() ->
    Dir = fb_test_lib:scratch(),
    ok = file:write_file(filename:join(Dir, "p.config"), "%% x\n{region, buf, [{size, 5000}]}.\n"),
    {1, Msg, _} = fb_test_lib:image(Dir, ?PD_A ++ "{include, \"p.config\"}.\n"),
    ?assertEqual(filename:join(Dir, "p.config") ++ ":2: {region,buf,[...]}: size 5000 is not a multiple of 4096"
                 " (included from " ++ filename:join(Dir, "s.config") ++ ":2)", Msg -- "\n").
duplicate_across_files_test() ->
    Dir = fb_test_lib:scratch(),
    ok = file:write_file(filename:join(Dir, "p.config"), ?PD_A),
    {1, Msg, _} = fb_test_lib:image(Dir, ?PD_A ++ "{include, \"p.config\"}.\n"),
    ?assertNotEqual(nomatch, string:find(Msg, "duplicate pd name a (first at " ++ filename:join(Dir, "s.config") ++ ":1)")).

%% ---- refusals of params, param and splice ----
tpl(Body, Reason) ->
    fb_test_lib:refuse(?PD_A ++ "{include, \"t.config\", [{n, b}]}.\n", 2, Reason, [{"t.config", Body}]).
tpl_in(Line, Body, Reason) ->
    refuse_in("t.config", Line, ?PD_A ++ "{include, \"t.config\", [{n, b}]}.\n", Reason, [{"t.config", Body}]).
params_twice_test() -> tpl_in(2, "{params, [n]}.\n{params, [m]}.\n", "a second params term").
params_not_list_test() -> tpl_in(1, "{params, n}.\n", "expected {params, [Name | {Name, Default}]}").
param_not_a_name_test() -> tpl_in(1, "{params, [n, \"m\"]}.\n", "\"m\" is not a parameter").
param_declared_twice_test() -> tpl_in(1, "{params, [n, {n, 1}]}.\n", "parameter n declared twice").
undeclared_param_test() ->
    tpl_in(2, "{params, [n]}.\n{pd, {param, m}, [{elf, \"a.elf\"}, {priority, 1}]}.\n",
           "{param, m}: not a parameter of this file").
splice_not_list_test() ->
    tpl_in(2, "{params, [n]}.\n{pd, b, [{elf, \"a.elf\"}, {priority, 1}, {splice, n}]}.\n",
           "{splice, n}: the value of n is not a list").
splice_outside_list_test() ->
    tpl_in(2, "{params, [n]}.\n{pd, b, {splice, n}}.\n", "{splice, n} outside a list").
substituted_term_is_checked_test() ->
    tpl_in(2, "{params, [n]}.\n{region, r, [{size, {param, n}}]}.\n", "size must be an integer or rest").

%% ---- random descriptions: expand answers {ok, Terms} or {error, Message}, never crashes ----
%% (the description parser has no C fuzz target: it is Erlang; this is its
%% randomized test, with a fixed seed so that a failure repeats)
random_descriptions_never_crash_test_() ->
    {timeout, 60, fun random_descriptions/0}.

random_descriptions() ->
    rand:seed(exsss, {10, 20, 30}),
    Dir = fb_test_lib:scratch(),
    Names = ["a.config", "b.config", "c.config"],
    [begin
         [ok = file:write_file(filename:join(Dir, N), random_file(Names)) || N <- Names],
         case fb_include:expand(filename:join(Dir, "a.config"), [Dir]) of
             {ok, Terms} -> ?assert(is_list(Terms));
             {error, Msg} -> ?assert(is_list(unicode:characters_to_list(Msg)))
         end
     end || _ <- lists:seq(1, 300)],
    ok.

random_file(Names) ->
    [[io_lib:format("~tp.~n", [random_term(Names)]) || _ <- lists:seq(1, rand:uniform(4))]].

random_term(Names) ->
    Pick = fun(L) -> lists:nth(rand:uniform(length(L)), L) end,
    Value = fun() -> Pick([x, 1, "s", [], [1, 2], {param, x}, {param, y}, [{splice, x}], {splice, y}, [a | b]]) end,
    case rand:uniform(9) of
        1 -> {include, Pick(Names)};
        2 -> {include, Pick(Names), [{Pick([x, y, z]), Value()} || _ <- lists:seq(1, rand:uniform(3) - 1)]};
        3 -> {include, Pick([x, "", "nope.config", Pick(Names)]), Value()};
        4 -> {params, Pick([[x], [x, {y, 1}], [{x, [1]}, y], x, [x, x], ["x"]])};
        5 -> {pd, Pick([a, {param, x}]), [{elf, "a.elf"}, {priority, Value()}, {splice, Pick([x, y])}]};
        6 -> {region, r, [{size, Value()}]};
        7 -> {include};
        8 -> Value();
        9 -> {map, a, r, [{vaddr, {param, Pick([x, y, z])}}, {perms, rw}]}
    end.
