/** One styled line, cut to `width`; segments take their style from the theme by role. */
import { Text } from 'ink';
import { fitLine, type StyledLine } from '../lines.js';
import type { Style, Theme } from '../theme.js';

export interface Props {
  readonly line: StyledLine;
  readonly width: number;
  readonly theme: Theme;
  /** Applied to the whole line (the selected row). */
  readonly style?: Style;
}

export default function Line({ line, width, theme, style }: Props) {
  const fitted = fitLine(line, width);
  return (
    <Text wrap="truncate" {...style}>
      {fitted.length === 0 ? ' ' : fitted.map((s, i) => (
        <Text key={i} {...(s.role ? theme[s.role] : {})}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
