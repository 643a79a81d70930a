# bash completion for planparse
_planparse() {
  local cur prev cmd
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  cmd=${COMP_WORDS[1]}
  case $prev in
    -f|--format)
      if [[ $cmd == diff || $cmd == compare ]]; then
        COMPREPLY=($(compgen -W "text yaml json" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "yaml json jsonl csv tsv" -- "$cur"))
      fi
      return ;;
    -g|--grammar)
      COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" --list-grammars 2>/dev/null | awk 'NR % 2 == 1 {print $1}')" -- "$cur")
                 $(compgen -f -X '!*.yaml' -- "$cur"))
      return ;;
    -o|--output)
      COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --files-from)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --color)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --ambiguous-width)
      COMPREPLY=($(compgen -W "1 2" -- "$cur")); return ;;
    -e|--encoding|-t|--threshold|-w|--width|-j|--jobs)
      return ;;
  esac
  if [[ $cur == -* ]]; then
    local opts="--format --grammar --list-grammars --encoding --lossy --simplify --help --version"
    case $cmd in
      diff) opts+=" --threshold --width --color --ambiguous-width" ;;
      compare) opts+=" --threshold --width --color --ambiguous-width --themes --targets" ;;
      *) opts+=" --output --files-from --jobs --quiet" ;;
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ $COMP_CWORD == 1 ]]; then
    COMPREPLY=($(compgen -W "diff compare" -- "$cur") $(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _planparse planparse
