# bash completion for wrangler-lint                          -*- shell-script -*-
#
# Installed as share/bash-completion/completions/wrangler-lint; to try it from
# a checkout: source completions/wrangler-lint.bash
#
# Completes the options; the values of --format, --color and --fail-on; rule
# ids for --rule (first ID=, then ID=SEVERITY), asked of the wrangler-lint
# being completed (`wrangler-lint --list-rules`, first column) each time; any
# file for --config, --schema and --stdin-filename; otherwise *.json and
# *.jsonc files and directories. It does not need the bash-completion package.

# The rule ids, one per line.
_wrangler_lint_rules() { # command
	local cmd=$1 id _rest
	command -v -- "$cmd" >/dev/null 2>&1 || cmd=wrangler-lint
	"$cmd" --list-rules 2>/dev/null </dev/null | while read -r id _rest; do
		case $id in
		[a-z]*) printf '%s\n' "$id" ;;
		esac
	done
}

# Adds to COMPREPLY each candidate that starts with $cur, less its first $keep
# characters: the part before the last '=' or ':' that readline keeps.
_wrangler_lint_add() { # candidate...
	local c
	for c in "$@"; do
		[[ $c == "$cur"* ]] && COMPREPLY+=("${c:keep}")
	done
}

# File names starting with $1 (any file, or only directories and *.json and
# *.jsonc with "json"), each prefixed with $2.
_wrangler_lint_files() { # value prefix [json]
	local f
	compopt -o filenames 2>/dev/null
	while IFS= read -r f; do
		if [[ ${3-} == json && ! -d $f && $f != *.json && $f != *.jsonc ]]; then
			continue
		fi
		_wrangler_lint_add "$2$f"
	done < <(compgen -f -- "$1")
}

_wrangler_lint() {
	COMPREPLY=()
	# bash splits words at the characters of COMP_WORDBREAKS, so that
	# `--format=js` arrives as `--format` `=` `js`: join such pieces again
	# (those not separated by blanks in COMP_LINE, when it is set).
	local i w words=() cword=0 line=${COMP_LINE-} lead joined
	for ((i = 0; i <= COMP_CWORD && i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		joined=0
		if ((i > 1)) && [[ $w == [=:]* || ${words[cword]} == *[=:] ]]; then
			joined=1
			if [[ -n ${COMP_LINE+set} ]]; then
				lead=${line%%[![:space:]]*}
				[[ -n $lead ]] && joined=0
			fi
		fi
		if [[ -n ${COMP_LINE+set} ]]; then
			line=${line#"${line%%[![:space:]]*}"}
			line=${line#"$w"}
		fi
		if ((joined)); then
			words[cword]+=$w
		else
			((i > 0)) && cword=$((cword + 1))
			words[cword]=$w
		fi
	done
	# cur: the word being completed, whole; keep: how much of it readline
	# keeps (everything up to the last word-break character).
	local cur=${words[cword]-} prev=""
	((cword > 0)) && prev=${words[cword - 1]}
	local tail=${COMP_WORDS[COMP_CWORD]-}
	[[ $tail != *[!=:]* ]] && tail=""
	local keep=$((${#cur} - ${#tail}))
	((keep < 0)) && keep=0

	# After `--`, only files.
	for ((i = 1; i < cword; i++)); do
		if [[ ${words[i]} == -- ]]; then
			_wrangler_lint_files "$cur" "" json
			return 0
		fi
	done

	# An option's value: --opt=VALUE, -fVALUE, or the word after the option.
	local opt="" val="" pre=""
	case $cur in
	--*=*)
		opt=${cur%%=*}
		val=${cur#*=}
		pre=$opt=
		;;
	-f?*)
		opt=-f
		val=${cur#-f}
		pre=-f
		;;
	*)
		case $prev in
		-f | --format | --color | --colour | --fail-on | --rule | --env | --config | \
			--schema | --stdin-filename | --max-diagnostics | --explain | --baseline | \
			--baseline-file | --applied)
			opt=$prev
			val=$cur
			;;
		esac
		;;
	esac
	if [[ -n $opt ]]; then
		case $opt in
		-f | --format)
			_wrangler_lint_add "$pre"{text,json,gcc,sarif,github}
			;;
		--color | --colour)
			_wrangler_lint_add "$pre"{auto,always,never}
			;;
		--fail-on)
			_wrangler_lint_add "$pre"{error,warning,note}
			;;
		--rule)
			if [[ $val == *=* ]]; then
				_wrangler_lint_add "$pre${val%%=*}="{error,warning,note,off}
			else
				local id
				while IFS= read -r id; do
					_wrangler_lint_add "$pre$id="
				done < <(_wrangler_lint_rules "${COMP_WORDS[0]}")
				# ID= is only half of the value.
				compopt -o nospace 2>/dev/null
			fi
			;;
		--config | --schema | --stdin-filename | --baseline-file)
			_wrangler_lint_files "$val" "$pre"
			;;
		--explain)
			local rid
			while IFS= read -r rid; do
				_wrangler_lint_add "$pre$rid"
			done < <(_wrangler_lint_rules "${COMP_WORDS[0]}")
			;;
		esac
		# --env NAME, --baseline REV, --applied TAG and --max-diagnostics N: nothing
		# to offer.
		return 0
	fi

	if [[ $cur == -* ]]; then
		_wrangler_lint_add -f --format= --color= --colour= --fail-on= --stdin-filename= \
			--max-diagnostics= --rule --env --config --no-config --schema --no-user-schema --no-source \
			--baseline= --baseline-file= --applied= --fix --unsafe-fixes --diff --list-rules --explain --lsp -h --help -V --version
		# An option that takes its value after '=' gets no space after it.
		if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *= ]]; then
			compopt -o nospace 2>/dev/null
		fi
		# '-' alone also means standard input.
		[[ $cur == - ]] && COMPREPLY+=(-)
		return 0
	fi
	_wrangler_lint_files "$cur" "" json
	return 0
}

complete -F _wrangler_lint wrangler-lint
