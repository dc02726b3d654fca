%% fb_pdfiles - find each PD's ELF file (the --search directories in order,
%% then the description's own directory), check it, and check that it was
%% linked where it does not clash with the PD's maps or its stack reserve.
%% Regions' files ({file, Name}) are found the same way, through reader/2.
-module(fb_pdfiles).
-export([load/3, reader/2, find/4]).
-include("fb_abi.hrl").

%% load(ConfigFile, SearchDirs, Sys) -> Sys with elf_path and elf_bin in each
%% PD; throws {fb_error, Message} on the first refusal.
load(Config, Search, Sys = #{pds := Pds, maps := Maps}) ->
    Dirs = dirs(Config, Search),
    {Pds1, _} = lists:mapfoldl(
                  fun(Pd = #{elf := Name}, I) ->
                          {Path, Bin} = read(Pd, elf, Name, Dirs),
                          Loads = case fb_elf:check_pd(Bin) of
                                      {ok, #{loads := L}} -> L;
                                      {error, Why2} -> fb_sysdesc:fail(Pd, "~ts ~ts", [Path, Why2])
                                  end,
                          clashes(Pd, Path, Loads, [M || M = #{pd := P} <- Maps, P =:= I]),
                          {Pd#{elf_path => Path, elf_bin => Bin}, I + 1}
                  end, 0, Pds),
    Sys#{pds := Pds1}.

%% reader(ConfigFile, SearchDirs) -> fun(Ctx, Name) -> {Path, Binary}: the
%% file a region's {file, Name} names, found like an ELF file.
reader(Config, Search) ->
    Dirs = dirs(Config, Search),
    fun(C, Name) -> read(C, file, Name, Dirs) end.

dirs(Config, Search) -> Search ++ [filename:dirname(Config)].

%% The first regular file Name in Dirs (an absolute Name as is), read whole.
read(C, What, Name, Dirs) ->
    Path = find(C, What, Name, Dirs),
    case file:read_file(Path) of
        {ok, B} -> {Path, B};
        {error, Why} -> fb_sysdesc:fail(C, "cannot read ~ts: ~ts", [Path, file:format_error(Why)])
    end.

%% The first regular file Name in Dirs (an absolute Name as is): its path.
find(C, What, Name, Dirs) ->
    Cands = case filename:pathtype(Name) of
                absolute -> [Name];
                _ -> [filename:join(D, Name) || D <- Dirs]
            end,
    case [P || P <- Cands, filelib:is_regular(P)] of
        [P | _] -> P;
        [] -> fb_sysdesc:fail(C, "~p ~0tp not found (looked in: ~ts)",
                              [What, Name, lists:join(", ", [filename:dirname(F) || F <- Cands])])
    end.

clashes(Pd, Path, Loads, Maps) ->
    Numbered = lists:zip(lists:seq(0, length(Loads) - 1), Loads),
    [begin
         {Lo, Hi} = fb_elf:pages(S),
         Range = [fb_sysdesc:hex(Lo), "..", fb_sysdesc:hex(Hi)],
         Hi > ?FB_MAP_TOP andalso
             fb_sysdesc:fail(Pd, "~ts segment ~b (~ts) clashes with the stack reserve at ~ts",
                             [Path, I, Range, fb_sysdesc:hex(?FB_MAP_TOP)]),
         [fb_sysdesc:fail(Pd, "~ts segment ~b (~ts) clashes with the map of ~p at ~ts (~ts)",
                          [Path, I, Range, RN, fb_sysdesc:hex(V), fb_sysdesc:at(Pd, M)])
          || M = #{vaddr := V, size := Sz, region_name := RN} <- Maps,
             V < Hi, Lo < V + Sz]
     end || {I, S} <- Numbered],
    ok.
