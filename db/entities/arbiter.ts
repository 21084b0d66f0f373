import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The arbiter register. `id` is the arbiter's token `sub`. */
@Entity({ name: 'arbiters' })
export class ArbiterEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  department: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
