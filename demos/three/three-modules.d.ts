// three ships JavaScript without declarations and this project does not depend on @types/three: the demo
// treats both entry points as untyped modules.
declare module 'three';
declare module 'three/webgpu';
