import { describe, expect, it } from 'vitest';
import { audioInputArgs, audioInputName, AudioSourceError, defaultMicrophone, describeAudioSource, parseFfmpegSources } from '../../../../src/outputs/recorder/audio';

describe('audioInputArgs', () => {
  it('opens each platform\'s microphone with a deep queue, and nothing for none', () => {
    expect(audioInputArgs({ kind: 'none' })).toEqual([]);
    expect(audioInputArgs({ kind: 'pulse', device: 'alsa_input.usb-Blue_Yeti' })).toEqual(['-thread_queue_size', '1024', '-f', 'pulse', '-i', 'alsa_input.usb-Blue_Yeti']);
    expect(audioInputArgs({ kind: 'dshow', device: 'Microphone (Realtek)' }).slice(-2)).toEqual(['-i', 'audio=Microphone (Realtek)']);
    expect(audioInputArgs({ kind: 'avfoundation', device: '0' }).slice(-2)).toEqual(['-i', ':0']);
    expect(audioInputArgs({ kind: 'lavfi', graph: 'sine=frequency=440' })).toEqual(['-f', 'lavfi', '-i', 'sine=frequency=440']);
  });

  it('delays the sound by the engine latency, in seconds with millisecond precision', () => {
    expect(audioInputArgs({ kind: 'alsa', device: 'hw:1' }, 120)).toEqual(['-itsoffset', '0.120', '-thread_queue_size', '1024', '-f', 'alsa', '-i', 'hw:1']);
  });

  it('refuses a delay or a device name it cannot pass on', () => {
    expect(() => audioInputArgs({ kind: 'pulse', device: 'default' }, -5)).toThrow(/audio delay must be in \[0, 10000\] ms, got -5/);
    expect(() => audioInputArgs({ kind: 'pulse', device: '' })).toThrow(AudioSourceError);
  });

  it('names sources for people and for matching ffmpeg\'s errors', () => {
    expect(describeAudioSource({ kind: 'pulse', device: 'default' })).toBe('microphone "default" (pulse)');
    expect(audioInputName({ kind: 'none' })).toBeNull();
    expect(defaultMicrophone('linux')).toEqual({ kind: 'pulse', device: 'default' });
    expect(defaultMicrophone('win32')).toEqual({ kind: 'none' });
  });
});

describe('parseFfmpegSources', () => {
  it('lists microphones with their labels and the default, leaving out monitors and the null device', () => {
    const pulse = [
      'Auto-detected sources for pulse:',
      '* alsa_input.usb-Blue_Microphones_Yeti-00.analog-stereo [Yeti Stereo Microphone Analog Stereo] (audio)',
      '  alsa_output.pci-0000_00_1f.3.analog-stereo.monitor [Monitor of Built-in Audio] (audio)',
      '  alsa_input.pci-0000_00_1f.3.analog-stereo [Built-in Audio Analog Stereo]',
    ].join('\n');
    expect(parseFfmpegSources('pulse', pulse)).toEqual([
      { source: { kind: 'pulse', device: 'alsa_input.usb-Blue_Microphones_Yeti-00.analog-stereo' }, label: 'Yeti Stereo Microphone Analog Stereo', isDefault: true },
      { source: { kind: 'pulse', device: 'alsa_input.pci-0000_00_1f.3.analog-stereo' }, label: 'Built-in Audio Analog Stereo', isDefault: false },
    ]);
    expect(parseFfmpegSources('alsa', 'Auto-detected sources for alsa:\n  null [Discard all samples] (none)\n')).toEqual([]);
    expect(parseFfmpegSources('pulse', 'Cannot list sources: Generic error in an external library')).toEqual([]);
  });
});

describe('parseFfmpegSources on ALSA', () => {
  it('keeps capture devices even though ffmpeg names no media type for them', () => {
    expect(parseFfmpegSources('alsa', '  hw:CARD=Yeti,DEV=0 [Yeti Stereo Microphone, USB Audio] (none)\n')).toEqual([
      { source: { kind: 'alsa', device: 'hw:CARD=Yeti,DEV=0' }, label: 'Yeti Stereo Microphone, USB Audio', isDefault: false },
    ]);
  });
});
