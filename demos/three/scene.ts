/**
 * The three.js scene, written once for either build of three (the WebGL one, `three`, and the WebGPU one,
 * `three/webgpu`, which carry their own copies of the core classes): a lit, shadowed set of meshes with
 * mipmapped data textures, drawn into a 4x MSAA render target, then a post pass (a full-screen quad that
 * samples the target) onto the canvas.
 */
// biome-ignore lint/suspicious/noExplicitAny: three has no declarations in this project (see three-modules.d.ts).
type Three = any;

/** The scene and what the page's buttons change. */
export interface ThreeScene {
  render(): void;
  addMesh(): void;
  /** Removes the newest added mesh; with `forgetDispose`, drops it without disposing its geometry, material, texture. */
  removeMesh(forgetDispose: boolean): void;
  meshCount(): number;
}

/** A 256x256 mipmapped RGBA checker, coloured by `seed`. */
function checkerTexture(THREE: Three, seed: number): Three {
  const size = 256;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = ((x >> 5) + (y >> 5)) % 2 === 0;
      const i = (y * size + x) * 4;
      data[i] = on ? 255 : (seed * 53) % 256;
      data[i + 1] = on ? 255 : (seed * 97) % 256;
      data[i + 2] = on ? 255 : (seed * 31) % 256;
      data[i + 3] = 255;
    }
  }
  const texture = new THREE.DataTexture(data, size, size, THREE.RGBAFormat);
  texture.generateMipmaps = true;
  texture.minFilter = THREE.LinearMipmapLinearFilter;
  texture.magFilter = THREE.LinearFilter;
  texture.needsUpdate = true;
  return texture;
}

/**
 * Builds the scene on `renderer` (already initialised) for a canvas of `width` x `height`.
 *
 * @example
 * const scene = buildScene(THREE, renderer, 640, 480); scene.render();
 */
export function buildScene(THREE: Three, renderer: Three, width: number, height: number): ThreeScene {
  renderer.shadowMap.enabled = true;
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0x202530);
  const camera = new THREE.PerspectiveCamera(50, width / height, 0.1, 100);
  camera.position.set(0, 3, 7);
  camera.lookAt(0, 0, 0);
  scene.add(new THREE.AmbientLight(0xffffff, 0.4));
  const light = new THREE.DirectionalLight(0xffffff, 1.5);
  light.position.set(3, 6, 4);
  light.castShadow = true;
  light.shadow.mapSize.set(512, 512);
  scene.add(light);
  const floor = new THREE.Mesh(
    new THREE.PlaneGeometry(10, 10),
    new THREE.MeshStandardMaterial({ map: checkerTexture(THREE, 1) }),
  );
  floor.rotation.x = -Math.PI / 2;
  floor.position.y = -1;
  floor.receiveShadow = true;
  scene.add(floor);

  const RenderTarget = THREE.RenderTarget ?? THREE.WebGLRenderTarget;
  const target = new RenderTarget(width, height, { samples: 4, depthBuffer: true });
  const post = new THREE.Scene();
  const postCamera = new THREE.OrthographicCamera(-1, 1, 1, -1, 0, 1);
  const quad = new THREE.Mesh(
    new THREE.PlaneGeometry(2, 2),
    new THREE.MeshBasicMaterial({ map: target.texture }),
  );
  post.add(quad);

  const meshes: Three[] = [];
  let seed = 2;
  const addMesh = () => {
    const geometry =
      seed % 2 ? new THREE.TorusKnotGeometry(0.5, 0.18, 96, 12) : new THREE.BoxGeometry(1, 1, 1);
    const mesh = new THREE.Mesh(
      geometry,
      new THREE.MeshStandardMaterial({ map: checkerTexture(THREE, seed++) }),
    );
    const n = meshes.length;
    mesh.position.set(((n % 5) - 2) * 1.6, 0.2 + Math.floor(n / 5) * 1.3, -Math.floor(n / 5));
    mesh.castShadow = true;
    scene.add(mesh);
    meshes.push(mesh);
  };
  for (let i = 0; i < 3; i++) addMesh();
  let time = 0;
  return {
    render() {
      time += 1 / 60;
      meshes.forEach((m, i) => {
        m.rotation.y = time + i;
      });
      renderer.setRenderTarget(target);
      renderer.render(scene, camera);
      renderer.setRenderTarget(null);
      renderer.render(post, postCamera);
    },
    addMesh,
    removeMesh(forgetDispose) {
      const mesh = meshes.pop();
      if (!mesh) return;
      scene.remove(mesh);
      if (forgetDispose) return; // the bug engines hit most: the GPU objects live on until collected
      mesh.geometry.dispose();
      mesh.material.map.dispose();
      mesh.material.dispose();
    },
    meshCount: () => meshes.length,
  };
}
