%% fb_assert.hrl - the few EUnit assertion macros the tests use.  Debian's
%% erlang-eunit package ships no eunit.hrl (that is in erlang-dev), so the
%% tests bring their own and export every function for EUnit to find.
-compile([export_all, nowarn_export_all]).

-define(assert(E), ((fun() -> case (E) of
                                  true -> ok;
                                  FbAssertV -> erlang:error({assert, [{line, ?LINE}, {expr, ??E}, {value, FbAssertV}]})
                              end end)())).
-define(assertNot(E), ?assert(not (E))).
-define(assertEqual(Want, E), ((fun() -> FbAssertW = (Want),
                                        case (E) of
                                            FbAssertW -> ok;
                                            FbAssertV -> erlang:error({assertEqual, [{line, ?LINE}, {expr, ??E},
                                                                               {expected, FbAssertW}, {value, FbAssertV}]})
                                        end end)())).
-define(assertNotEqual(Unwanted, E), ((fun() -> FbAssertU = (Unwanted),
                                               case (E) of
                                                   FbAssertU -> erlang:error({assertNotEqual, [{line, ?LINE}, {expr, ??E},
                                                                                         {value, FbAssertU}]});
                                                   _ -> ok
                                               end end)())).
-define(assertMatch(G, E), ((fun() -> case (E) of
                                          G -> ok;
                                          FbAssertV -> erlang:error({assertMatch, [{line, ?LINE}, {expr, ??E},
                                                                             {pattern, ??G}, {value, FbAssertV}]})
                                      end end)())).
-define(_assertMatch(G, E), {?LINE, fun() -> ?assertMatch(G, E) end}).
